"""Print the messages an aiosmtpd Mailbox handler stored in a Maildir, decoded.

Usage: read_maildir.py MAILDIR OUTDIR
For each message: "TO ...", "SUBJECT ...", the plain-text body between "BODY" and "END BODY",
and "ATTACHMENT name content-type" with the attachment's bytes written to OUTDIR/name.
"""
import mailbox
import os
import sys

box = mailbox.Maildir(sys.argv[1], create=False)
out = sys.argv[2]
for key in sorted(box.keys()):
    msg = box[key]
    print("TO", msg["To"])
    print("FROM", msg["From"])
    from email.header import decode_header, make_header
    print("SUBJECT", str(make_header(decode_header(msg["Subject"]))))
    for part in msg.walk():
        if part.is_multipart():
            continue
        name = part.get_filename()
        payload = part.get_payload(decode=True)
        if name:
            with open(os.path.join(out, name), "wb") as f:
                f.write(payload)
            print("ATTACHMENT", name, part.get_content_type())
        elif part.get_content_type() == "text/plain":
            print("BODY")
            print(payload.decode(part.get_content_charset() or "utf-8"))
            print("END BODY")
print("DONE")
