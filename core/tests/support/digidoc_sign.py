"""Sign a file into an ASiC-E container outside SRT Desk, as DigiDoc4 does with the ID-card:
libdigidocpp (the pydigidoc wheel, the library DigiDoc4 is built on) through PKCS#11. B level
(offline: no time-stamp, no OCSP).

Usage: digidoc_sign.py OUT.asice FILE MODULE PIN WORKDIR
SOFTHSM2_CONF names the test's token folder; the token holds the signer's certificate, private
key and public key under one CKA_ID, as an ID-card does (libdigidocpp lists a certificate only
when its public key object is there).
"""
import os
import shutil
import sys

import pydigidoc

out, data, module, pin, work = sys.argv[1:6]
schema = os.path.join(work, "schema")
if not os.path.isdir(schema):
    shutil.copytree(pydigidoc._SCHEMA_DIR, schema)
cache = os.path.join(work, "tsl-cache")
os.makedirs(cache, exist_ok=True)
with open(os.path.join(schema, "digidocpp.conf"), "w") as f:
    f.write(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<configuration xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:noNamespaceSchemaLocation="schema/conf.xsd">\n'
        '<param name="tsl.autoupdate" lock="false">false</param>\n'
        f'<param name="tsl.cache" lock="false">{cache}</param>\n'
        '</configuration>\n'
    )
os.environ["HOME"] = work
pydigidoc.initialize_lib("srt-desk-test", schema)

doc = pydigidoc.Container.create(out)
doc.add_data_file(data, "application/pdf")
signer = pydigidoc.PKCS11Signer(module)
signer.set_pin(pin)
signer.set_profile("BES")
doc.sign(signer)
doc.save()
print("SIGNED", out)
