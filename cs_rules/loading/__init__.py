"""Reading the data folder: sources, vendor adapters, typed tables."""

# The command line owns its process (cs_rules.cli.main sets this): it may fork a helper process
# (a big XLSX sheet parsed in a child, cs_rules.loading.workbooks). A library caller's process — a
# notebook, a server with threads of its own — is its own, and is left alone.
OWN_PROCESS = False
