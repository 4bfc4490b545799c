"""An SMTP server on 127.0.0.1 that wants a login (aiosmtpd), for the delivery tests.

Usage: smtp_auth_server.py PORT MAILDIR USER PASSWORD SECURITY [CERT KEY]
SECURITY is none, starttls or tls; with starttls or tls the server presents CERT (PEM, made by
the test with its own CA). Messages are stored in MAILDIR; each login try is printed as
"AUTH ok USER" or "AUTH refused USER" on stdout. Runs until killed.
"""
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult, LoginPassword

port, maildir, user, password, security = sys.argv[1:6]


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login.decode() == user
        and auth_data.password.decode() == password
    )
    who = auth_data.login.decode() if isinstance(auth_data, LoginPassword) else "?"
    print("AUTH", "ok" if ok else "refused", who, flush=True)
    return AuthResult(success=ok)


kwargs = dict(authenticator=authenticator, auth_required=True)
ssl_context = None
if security in ("starttls", "tls"):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(sys.argv[6], sys.argv[7])
    if security == "starttls":
        kwargs.update(tls_context=context, require_starttls=True, auth_require_tls=True)
    else:
        ssl_context = context
        kwargs.update(auth_require_tls=False)
else:
    kwargs.update(auth_require_tls=False)

controller = Controller(
    Mailbox(maildir), hostname="127.0.0.1", port=int(port), ssl_context=ssl_context, **kwargs
)
controller.start()
print("LISTENING", port, flush=True)
try:
    while True:
        time.sleep(3600)
finally:
    controller.stop()
