"""The Leads tab's team mode: the pieces it adds when leads come from a team inbox server.

Assignment (column, "Assign to…", "Take it", Mine / Unassigned / All), attributed notes
and history, the offline banner with pending marks, and the dialog that settles an edit
a colleague made at the same time. The tab itself stays the one of "This computer";
:class:`~codaiq_desktop.ui.team.team_leads.TeamLeadsController` adds these pieces to it.
"""
