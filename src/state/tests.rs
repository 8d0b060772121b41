//! The page's reducer, natively: pure (the effects come back as values), and with the engine's
//! jobs done in place ([`settle`]) what the page shows once the worker has answered.

use super::effects::settle;
use super::*;
use crate::evaluate::{self, Source};
use crate::workspace::examples_on_disk;

/// A state with `ws` in the editors, checked.
fn checked(ws: Workspace, examples: Rc<Vec<Example>>) -> State {
    settle(&State::unchecked(ws, examples, None), Action::Check)
}

fn ran(s: &State) -> usize {
    s.run.len()
}

fn first_example() -> (Workspace, Rc<Vec<Example>>) {
    let list = examples_on_disk();
    (list[0].workspace.clone().unwrap(), Rc::new(list))
}

#[test]
fn the_reducer_asks_the_engine_and_never_calls_it() {
    let (ws, list) = first_example();
    let s = State::unchecked(ws.clone(), list, None);
    // Checking asks for the rules' verdicts and the drawing: nothing is computed in the reducer.
    let (next, fx) = reduce(&s, Action::Check).unwrap();
    let asked: Vec<_> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::Ask(job) => Some(job.kind()),
            _ => None,
        })
        .collect();
    assert_eq!(
        asked[..2],
        [crate::worker::Kind::Rules, crate::worker::Kind::Machine]
    );
    // (and the mocks' check, when there are mocks)
    assert!(asked[2..].iter().all(|k| *k == crate::worker::Kind::Mocks));
    assert!(next.editors.checked && next.editors.layout.is_none());
    // Run waits for its run: parked, asked for, nothing shown yet.
    let (waiting, fx) = reduce(&next, RunAction::Run.into()).unwrap();
    assert!(waiting.run.current.is_none());
    assert_eq!(waiting.engine.pending, vec![Action::Run(RunAction::Run)]);
    let Some(Effect::Ask(job)) = fx
        .iter()
        .find(|e| matches!(e, Effect::Ask(j) if j.kind() == crate::worker::Kind::Run))
        .cloned()
    else {
        panic!("the run is asked for: {fx:?}");
    };
    // The answer comes: the waiting Run shows it and plays it.
    let answer = job.work(None);
    let (shown, _) = reduce(&waiting, Action::Answered(job, answer)).unwrap();
    assert!(shown.engine.pending.is_empty());
    assert!(ran(&shown) > 0 && shown.run.playing && shown.run.cursor == 0);
    // The same state and action give the same state: the reducer reads nothing else.
    assert_eq!(
        reduce(&next, RunAction::Run.into()).map(|r| r.0),
        Some(waiting)
    );
}

#[test]
fn a_run_folds_the_playgrounds_editors_and_moves_the_focus() {
    let (ws, list) = first_example();
    let mut page = checked(ws.clone(), list.clone());
    page.view.columns = Some(Columns::default());
    let s = settle(&page, ViewAction::PickTab("rules").into());
    assert_eq!(
        s.view.columns.map(|c| (c.tab, c.rail)),
        Some(("rules", false))
    );
    // The reaction is the reducer's: the run lands, the column folds, focus is asked to move.
    let (waiting, _) = reduce(&s, RunAction::Run.into()).unwrap();
    let job = Rc::new(engine::run_job(&waiting.editors.ws, &[], 0));
    let answer = job.work(None);
    let (done, fx) = reduce(&waiting, Action::Answered(job, answer)).unwrap();
    assert!(done.view.columns.is_some_and(|c| c.rail));
    assert!(fx.contains(&Effect::FocusGraphFromRun));
    // An embed (no columns) runs without either.
    let embed = checked(ws, list);
    let (waiting, _) = reduce(&embed, RunAction::Run.into()).unwrap();
    let job = Rc::new(engine::run_job(&waiting.editors.ws, &[], 0));
    let answer = job.work(None);
    let (done, fx) = reduce(&waiting, Action::Answered(job, answer)).unwrap();
    assert!(done.view.columns.is_none() && !fx.contains(&Effect::FocusGraphFromRun));
    // Another machine shown brings the machine's editor back.
    let s = settle(&page, EditorsAction::AddMachine("Other".into()).into());
    assert_eq!(s.view.columns, Some(Columns::default()));
}

#[test]
fn machines_are_added_renamed_and_deleted_with_undo() {
    let s = checked(Workspace::default(), Rc::default());
    let s = settle(&s, EditorsAction::AddMachine("Billing".into()).into());
    assert_eq!(
        (s.ws().machines.len(), s.ws().machine_name()),
        (2, "Billing")
    );
    let s = settle(&s, EditorsAction::AddMachine("Billing".into()).into());
    assert_eq!(s.ws().machines.len(), 2);
    assert!(
        s.view
            .notice
            .as_deref()
            .unwrap_or_default()
            .contains("already")
    );
    let s = settle(
        &s,
        EditorsAction::RenameMachine(1, "Bad name".into()).into(),
    );
    assert_eq!(s.ws().machine_name(), "Billing");
    let s = settle(
        &s,
        EditorsAction::RenameMachine(1, "Invoicing".into()).into(),
    );
    assert_eq!(s.ws().machine_name(), "Invoicing");
    let s = settle(&s, EditorsAction::SelectMachine(0).into());
    assert_eq!(s.ws().active, 0);
    let s = settle(&s, EditorsAction::DeleteMachine(1).into());
    assert_eq!(s.ws().machines.len(), 1);
    let s = settle(&s, EditorsAction::DeleteMachine(0).into());
    assert_eq!(s.ws().machines.len(), 1, "the last machine stays");
    let s = settle(&s, Action::Undo);
    assert_eq!(s.ws().machines.len(), 2);
    assert_eq!(s.ws().machines[1].name, "Invoicing");
}

#[test]
fn a_page_paints_before_its_checks_and_any_action_runs_them_first() {
    let (ws, list) = first_example();
    let s = State::unchecked(ws.clone(), list.clone(), None);
    assert!(!s.editors.checked && s.editors.layout.is_none());
    let checked = settle(&s, Action::Check);
    assert!(checked.editors.checked && checked.editors.layout.is_some());
    assert!(
        matches!(&checked.editors.rules.outcomes, evaluate::Pane::Ready(r) if r.iter().any(|r| r.matched))
    );
    // Run pressed before the checks ran: the run still gets the input the rule delivers.
    let early = settle(&State::unchecked(ws, list, None), RunAction::Run.into());
    let late = settle(&checked, RunAction::Run.into());
    assert!(early.run.current.is_some());
    assert_eq!(
        early.run.current.as_ref().map(|r| r.replay.steps.len()),
        late.run.current.as_ref().map(|r| r.replay.steps.len())
    );
    assert_eq!(early.editors.rules, late.editors.rules);
}

#[test]
fn a_share_link_reopens_its_run_at_the_moment_it_was_made() {
    let (ws, list) = first_example();
    let view = crate::link::View {
        at: 5,
        state: Some("ProcessPayment".into()),
        ..Default::default()
    };
    let mut opened = State::unchecked(ws.clone(), list.clone(), None);
    opened.view.opening = Some(view.clone());
    let shown = settle(&opened, Action::Check);
    assert!(shown.editors.checked && shown.view.opening.is_none());
    assert!(ran(&shown) > 5);
    assert_eq!((shown.run.cursor, shown.run.playing), (5, false));
    assert_eq!(shown.view.selected.as_deref(), Some("ProcessPayment"));
    // The same run as pressing Run: same history, seeked to the same moment.
    let pressed = settle(&checked(ws.clone(), list.clone()), RunAction::Run.into());
    assert_eq!(ran(&shown), ran(&pressed));
    // A link pasted into the running page does the same, past the end clamped to the end.
    let pasted = settle(
        &pressed,
        Action::Restore(
            ws,
            Some(crate::link::View {
                at: 10_000,
                state: None,
                ..Default::default()
            }),
        ),
    );
    assert_eq!(pasted.run.cursor, ran(&pasted));
    assert!(pasted.view.selected.is_none() && !pasted.run.playing);
    assert!(
        pasted
            .view
            .notice
            .as_deref()
            .is_some_and(|n| { n.ends_with(&format!("shown at event {0} of {0}.", ran(&pasted))) })
    );
    // A state the machine does not have is not inspected.
    let odd = settle(
        &pasted,
        Action::Show(crate::link::View {
            at: 3,
            state: Some("NoSuchState".into()),
            ..Default::default()
        }),
    );
    assert_eq!((odd.run.cursor, odd.view.selected.as_deref()), (3, None));
}

#[test]
fn a_share_link_keeps_the_answers_sent_to_its_callbacks() {
    let list = examples_on_disk();
    let ws = list
        .iter()
        .find(|e| e.name == "human-approval")
        .and_then(|e| e.workspace.clone())
        .expect("the human-approval example");
    let list = Rc::new(list);
    let pressed = settle(&checked(ws.clone(), list.clone()), RunAction::Run.into());
    let paused = ran(&pressed);
    let answered = settle(
        &pressed,
        RunAction::Callback(serde_json::json!(
            {"state": "Ask a manager", "success": {"approvedBy": "grace@example.com"}}
        ))
        .into(),
    );
    assert!(ran(&answered) > paused, "the answer let the run go on");
    // The link made now reopens the answered run, not the one paused at its callback.
    let view = crate::link::View {
        at: ran(&answered),
        state: None,
        callbacks: answered.run.callbacks.clone(),
        redrives: answered.run.redrives,
    };
    let mut opened = State::unchecked(ws, list, None);
    opened.view.opening = Some(view);
    let shown = settle(&opened, Action::Check);
    assert_eq!(shown.run.callbacks, answered.run.callbacks);
    assert_eq!(ran(&shown), ran(&answered));
    assert_eq!(shown.run.cursor, ran(&answered));
}

#[test]
fn an_example_fetched_is_kept_and_loaded() {
    let s = checked(Workspace::default(), crate::workspace::examples());
    assert!(s.editors.examples[1].workspace.is_none());
    let name = s.editors.examples[1].name.clone();
    let text = std::fs::read_to_string(format!(
        "{}/www/examples/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    // Picking it asks for its file; Run pressed while it is on its way runs the example once it
    // is in.
    let (s, fx) = reduce(&s, Action::PickExample(name.clone())).unwrap();
    assert_eq!(
        fx,
        vec![Effect::FetchExample {
            name: name.clone(),
            url: format!("examples/{name}.json")
        }]
    );
    let s = settle(&s, RunAction::Run.into());
    assert!(s.run.current.is_none() && s.engine.pending.len() == 1);
    assert!(
        s.view
            .notice
            .as_deref()
            .unwrap_or_default()
            .starts_with("Loading")
    );
    let s = settle(&s, Action::ExampleFetched(name.clone(), Ok(text)));
    assert!(s.editors.examples[1].workspace.is_some());
    assert_eq!(s.ws().example.as_deref(), Some(name.as_str()));
    assert!(s.editors.undo.is_some() && s.engine.pending.is_empty() && s.editors.loading.is_none());
    let run = s.run.current.as_ref().unwrap();
    assert!(run.input_from.starts_with("rule "), "{}", run.input_from);
    assert!(!run.history.is_empty());
    let s = settle(
        &s,
        Action::ExampleFetched("x".into(), Err("404 Not Found".into())),
    );
    assert!(
        s.view
            .notice
            .as_deref()
            .unwrap_or_default()
            .contains("404 Not Found")
    );
    let s = settle(&s, Action::ExampleFetched(name, Ok("{ not json".into())));
    assert!(
        s.view
            .notice
            .as_deref()
            .unwrap_or_default()
            .contains("not an example")
    );
}

#[test]
fn a_run_waits_for_the_jsonata_module_and_goes_when_it_is_in() {
    let (ws, list) = first_example();
    let mut s = checked(ws, list);
    s.engine.jsonata_settled = false;
    let json = r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% 1 + 1 %}", "End": true}}}"#;
    let s = settle(&s, EditorsAction::Edit(Source::Machine, json.into()).into());
    let (waiting, fx) = reduce(&s, RunAction::Run.into()).unwrap();
    assert_eq!(fx, vec![Effect::LoadJsonata]);
    assert_eq!(
        waiting.view.notice.as_deref(),
        Some("Loading the JSONata engine…")
    );
    let done = settle(&waiting, Action::JsonataReady(true));
    assert!(done.engine.pending.is_empty() && ran(&done) > 0);
    assert_eq!(done.view.notice, None);
}

#[test]
fn worked_with_nothing_waiting_changes_nothing() {
    let (ws, list) = first_example();
    let s = checked(ws, list);
    assert!(reduce(&s, Action::Worked).is_none());
}
