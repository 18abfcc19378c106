"""One service function per domain action: keyword-only `(*, session, actor, ...)`, validated input,
an audit event in the same transaction, no commit (the caller owns the unit of work)."""
