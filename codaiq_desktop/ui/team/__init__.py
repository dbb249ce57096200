"""Team mode: what the app adds when an account's leads come from a team inbox server.

The connection (``team_connection``: the team store as the tabs' lead source and its live
signals; ``leads_source_dialog``: where an account's leads come from, checked before it is
saved; ``team_receiver_panel``: the server's webhook URL in the Events tab; ``local_inbox_server``:
File › Start a local inbox server) and the Leads tab's pieces: assignment (column,
"Assign to…", "Take it", Mine / Unassigned / All), attributed notes and history, the offline
banner with pending marks, and the dialog that settles an edit a colleague made at the same
time. The tab itself stays the one of "This computer";
:class:`~codaiq_desktop.ui.team.team_leads.TeamLeadsController` adds these pieces to it.
"""
