"""Accounts and sessions security of the platform (issue #8).

One job per module:

- ``client_ip``: the client's address behind trusted reverse proxies, and the username as
  django-axes records it;
- ``lockout`` / ``lockout_views``: login lockout after repeated failures, and the admin
  screen where staff lift a lockout;
- ``passwords``: the character-class password rule;
- ``sessions``: idle sessions end;
- ``two_factor`` / ``two_factor_views``: the second sign-in factor for the admin;
- ``csp``: the Content-Security-Policy, strict in public and relaxed in the admin;
- ``audit_log``: the 审计管理员's read-only view of the audit log.
"""
