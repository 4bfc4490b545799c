"""Validate an ASiC-E container with libdigidocpp (the pydigidoc wheel), offline.

Usage: digidoc_validate.py CONTAINER WORKDIR
Prints one line per data file ("FILE name"), the signer ("SIGNER ..."), and one line per problem
libdigidocpp reports ("PROBLEM ..."), then "DONE". The trust-list cache lives in WORKDIR and is
never refreshed from the network.
"""
import os
import shutil
import sys

import pydigidoc

container_path, work = sys.argv[1], sys.argv[2]
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


class Offline(pydigidoc.ContainerOpenCB):
    def validate_online(self):
        return False


def problems(e):
    text = str(e)
    for line in text.splitlines():
        line = line.strip()
        if line:
            yield line


cb = Offline()
doc = pydigidoc.Container.open(container_path, cb)
for df in doc.data_files():
    print("FILE", df.file_name())
for sig in doc.signatures():
    print("SIGNER", sig.signed_by())
    print("PROFILE", sig.profile())
    try:
        sig.validate()
    except Exception as e:  # libdigidocpp's Exception with its causes
        for p in problems(e):
            print("PROBLEM", p)
print("DONE")
