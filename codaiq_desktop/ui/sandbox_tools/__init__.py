"""Tools for the local sandbox account: its address and key for outside tools, a test lead."""
