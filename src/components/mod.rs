//! The playground's components, one per file.

pub mod aws;
pub mod callbacks;
pub mod diagnostics;
pub mod editor;
pub mod editor_tabs;
pub mod events_matrix;
pub mod eventsv2;
pub mod graph;
mod graph_cull;
pub mod help;
pub mod history;
pub mod inspector;
pub mod long_text;
pub mod machines;
pub mod mock_form;
pub mod pipes;
pub mod playback;
pub mod redrive;
pub mod result;
pub mod rules;
pub mod s3_objects;
pub mod schedule_window;
pub mod system;
pub mod test_state;
pub mod topbar;
pub mod working;
