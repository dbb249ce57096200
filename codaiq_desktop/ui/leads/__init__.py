"""The Leads tab: the lazy leads table model, the lead detail pane and the lead dialog."""
