"""An RFC 3161 time-stamp service on 127.0.0.1 for the LT tests: each POSTed query is answered
by `openssl ts -reply` with the test TSA's key and certificate.

Usage: tsa_server.py PORT WORKDIR TSA_CERT TSA_KEY CA_CERT
Prints "LISTENING PORT" when ready; each request as "TSA request N bytes". Runs until killed.
"""
import http.server
import os
import subprocess
import sys
import tempfile

port, work, cert, key, ca = sys.argv[1:6]
conf = os.path.join(work, "tsa.cnf")
with open(conf, "w") as f:
    f.write(
        "[ tsa ]\ndefault_tsa = tsa_config\n"
        "[ tsa_config ]\n"
        f"serial = {os.path.join(work, 'tsaserial')}\n"
        "crypto_device = builtin\n"
        "default_policy = 1.2.3.4.1\n"
        "signer_digest = sha256\n"
        "digests = sha256, sha384, sha512\n"
        "accuracy = secs:1\n"
        "ordering = yes\n"
        "tsa_name = no\n"
        "ess_cert_id_chain = no\n"
        "ess_cert_id_alg = sha256\n"
    )
with open(os.path.join(work, "tsaserial"), "w") as f:
    f.write("01\n")


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        query = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        print("TSA request", len(query), "bytes", flush=True)
        with tempfile.TemporaryDirectory(dir=work) as d:
            q, r = os.path.join(d, "q.tsq"), os.path.join(d, "r.tsr")
            with open(q, "wb") as f:
                f.write(query)
            out = subprocess.run(
                ["openssl", "ts", "-reply", "-config", conf, "-queryfile", q,
                 "-inkey", key, "-signer", cert, "-chain", ca, "-out", r],
                capture_output=True,
            )
            if out.returncode != 0:
                print("TSA failed", out.stderr.decode(), flush=True)
                self.send_response(500)
                self.end_headers()
                return
            with open(r, "rb") as f:
                body = f.read()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", int(port)), Handler)
print("LISTENING", port, flush=True)
server.serve_forever()
