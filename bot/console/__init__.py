"""The web console at `/console`: knowledge base, unanswered questions, tickets, accounts,
dashboards. `bot.console.mount.mount_console(app, runtime)` adds its routes and error pages."""
