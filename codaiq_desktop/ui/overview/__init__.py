"""The Overview tab: every website of the active account in one table, with its traffic
against the previous period, a sparkline, its leads and why a row has no figures."""
