//! The view slice: what the page shows around the texts and the run — the state inspected, the
//! one-line notice, the keyboard help, a share link's moment still to show, and in the
//! playground the editors' column (which tab of the pane table's, folded to a rail or not).

/// The editors' column of the playground.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Columns {
    /// The tab shown: a pane's id (`crate::panes`).
    pub tab: &'static str,
    /// Whether the column is folded to a rail of tabs (a run gives the graph the room).
    pub rail: bool,
}

impl Default for Columns {
    fn default() -> Columns {
        Columns {
            tab: "machine",
            rail: false,
        }
    }
}

/// Selection, notices, help, and the playground's columns.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ViewSlice {
    /// The state whose details the inspector shows.
    pub selected: Option<String>,
    /// A one-line message for the user (e.g. "Example loaded — Undo").
    pub notice: Option<String>,
    /// Whether the keyboard help is open.
    pub help: bool,
    /// The run's moment a share link opened the page with: shown once the checks have run.
    pub opening: Option<crate::link::View>,
    /// The editors' column, in the playground (embeds and exercises have none).
    pub columns: Option<Columns>,
}

/// What the view can be asked to do.
#[derive(Debug, Clone, PartialEq)]
pub enum ViewAction {
    /// Inspect a state (None closes the inspector).
    Select(Option<String>),
    /// Close the help, else the inspector.
    Escape,
    /// Show or hide the keyboard help.
    ToggleHelp,
    /// Show a one-line message (None hides it).
    Notice(Option<String>),
    /// Show a tab of the editors' column, by its pane's id (this also unfolds the rail).
    PickTab(&'static str),
    /// Fold the editors' column to a rail (`true`) or unfold it.
    Fold(bool),
}

impl ViewSlice {
    /// The editors' column shows the machine's editor (another machine was shown).
    pub fn machine_editor(&mut self) {
        if let Some(c) = &mut self.columns {
            *c = Columns::default();
        }
    }

    /// The editors' column folds (a run or a system run takes the room).
    pub fn fold(&mut self) {
        if let Some(c) = &mut self.columns {
            c.rail = true;
        }
    }
}

/// Applies a view action.
pub fn reduce(s: &mut ViewSlice, action: ViewAction) {
    match action {
        ViewAction::Select(name) => s.selected = name,
        ViewAction::Escape => {
            if s.help {
                s.help = false;
            } else {
                s.selected = None;
            }
        }
        ViewAction::ToggleHelp => s.help = !s.help,
        ViewAction::Notice(n) => s.notice = n,
        ViewAction::PickTab(tab) => {
            if let Some(c) = &mut s.columns {
                *c = Columns { tab, rail: false };
            }
        }
        ViewAction::Fold(on) => {
            if let Some(c) = &mut s.columns {
                c.rail = on;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_closes_the_help_first_then_the_inspector() {
        let mut s = ViewSlice {
            selected: Some("A".into()),
            help: true,
            ..Default::default()
        };
        reduce(&mut s, ViewAction::Escape);
        assert_eq!((s.help, s.selected.as_deref()), (false, Some("A")));
        reduce(&mut s, ViewAction::Escape);
        assert_eq!(s.selected, None);
    }

    #[test]
    fn the_columns_are_the_playgrounds_only() {
        let mut embed = ViewSlice::default();
        reduce(&mut embed, ViewAction::PickTab("rules"));
        embed.fold();
        assert_eq!(embed.columns, None);
        let mut page = ViewSlice {
            columns: Some(Columns::default()),
            ..Default::default()
        };
        page.fold();
        reduce(&mut page, ViewAction::PickTab("aws"));
        assert_eq!(
            page.columns,
            Some(Columns {
                tab: "aws",
                rail: false
            })
        );
        reduce(&mut page, ViewAction::Fold(true));
        page.machine_editor();
        assert_eq!(page.columns, Some(Columns::default()));
    }
}
