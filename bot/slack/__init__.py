"""The Slack app: Bolt listeners for events, /pmo, modals, shortcuts, buttons, App Home, assistant pane."""
