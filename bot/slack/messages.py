"""Every sentence the Slack app says on its own (not the assistant's answers), kept in one place."""

from __future__ import annotations

ERROR = (
    ":warning: Sorry, something went wrong on my side. Reference `{ref}`; an admin can find it in the logs."
)
DOMAIN_ERROR = ":warning: {message}"
NOT_AUTHORISED_LINK = "Only the project's PM or an admin can link a channel to a project."
NOT_APPROVER = "Only approvers can approve, reject or defer change requests; ask your PMO approver."
NOT_AUTHOR_UNDO = "Only the person who made this change can undo it."
UNDO_EXPIRED = "This change is more than {minutes} minutes old, so it can no longer be undone here."
UNKNOWN_PROJECT = "I don't know a project called `{text}`. Try `/pmo status` in a project channel."
NO_PROJECT_HERE = (
    "This channel isn't linked to a project. Name one (`/pmo status SEPSIS`) or `/pmo link KEY`."
)
NOT_VISIBLE = "You don't have access to project `{key}`."
LINKED = "Linked this channel to *{key}* ({name}). Questions here now search {key}'s documents and records."
NO_RISKS = "No open risks{where}."
THINKING = "Looking into it..."
SUBSCRIBED = "Subscribed: the {what} digest will be posted here every {day} at {time} ({tz})."
DIGEST_BAD_SCHEDULE = "I couldn't read that schedule. Try `/pmo digest subscribe monday 09:00`."
DIGEST_UNAVAILABLE = "Digest subscriptions aren't available on this server yet."
UNKNOWN_COMMAND = "I don't know `/pmo {sub}`. Here is what I can do:"
ASSISTANT_GREETING = "Hi! Ask me about a project's status, risks, change requests or milestones."
RECORD_SAVED = "{verb} *{key}*."
PRIVATE_ONLY = (
    ":lock: My answer draws on private project(s) {keys}, so I sent it to you in a direct message"
    " instead of posting it here."
)
UNDONE = "Undone: {what}."

HELP = "\n".join(
    [
        "*PMO Assistant* - ask me anything about your projects, or:",
        "• `/pmo status [PROJECT]` - RAG status, top risks, next milestones",
        "• `/pmo risks [PROJECT]` - open risks, highest first",
        "• `/pmo risk [text]` - log a risk (opens a form, prefilled from your text)",
        "• `/pmo cr [text]` - file a change request (opens a form)",
        "• `/pmo link PROJECT` - link this channel to a project (PM/admin)",
        "• `/pmo digest` - this week's digest; `/pmo digest subscribe monday 09:00` - post it weekly",
        "• `/pmo help` - this message",
        "Mention me (`@PMO Assistant what are the top risks?`) or DM me for questions in plain words.",
    ]
)
