"""A real OpenLDAP server (Debian's slapd, started by python-ldap's slapdtest) holding a small hospital directory."""

import contextlib
import tempfile

import ldap
import slapdtest

SUFFIX = "dc=hospital,dc=local"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"


class HospitalDirectory(slapdtest.SlapdObject):
    suffix = SUFFIX
    root_cn = "portal"
    root_pw = "bind-secret"
    openldap_schema_files = ("core.ldif", "cosine.ldif", "inetorgperson.ldif")
    TMPDIR = tempfile.gettempdir()

    def reset(self, people: list[dict], groups: dict[str, list[str]]):
        """The directory holds exactly ``people`` (uid, cn, employeeNumber, departmentNumber…) and role groups."""
        conn = self.connection()
        for dn in sorted(_subtree(conn, PEOPLE) + _subtree(conn, GROUPS), key=len, reverse=True):
            conn.delete_s(dn)
        for person in people:
            self.add_person(**person)
        for role, uids in groups.items():
            self.set_group(role, uids)

    def connection(self):
        conn = ldap.initialize(self.ldap_uri)
        conn.simple_bind_s(self.root_dn, self.root_pw)
        return conn

    def add_person(self, uid, cn, password="Dir-pass-1", **attributes):
        entry = {"objectClass": [b"inetOrgPerson"], "uid": [uid.encode()], "cn": [cn.encode()], "sn": [cn[:1].encode()]}
        entry["userPassword"] = [password.encode()]
        entry.update({name: [str(value).encode()] for name, value in attributes.items()})
        self.connection().add_s(person_dn(uid), list(entry.items()))

    def modify_person(self, uid, **attributes):
        changes = [(ldap.MOD_REPLACE, name, [str(value).encode()]) for name, value in attributes.items()]
        self.connection().modify_s(person_dn(uid), changes)

    def remove_person(self, uid):
        self.connection().delete_s(person_dn(uid))

    def set_group(self, role, uids):
        conn = self.connection()
        dn = f"cn={role},{GROUPS}"
        members = [person_dn(uid).encode() for uid in uids] or [self.root_dn.encode()]
        with contextlib.suppress(ldap.NO_SUCH_OBJECT):
            conn.delete_s(dn)
        conn.add_s(dn, [("objectClass", [b"groupOfNames"]), ("cn", [role.encode()]), ("member", members)])


def person_dn(uid):
    return f"uid={uid},{PEOPLE}"


def _subtree(conn, base):
    try:
        return [dn for dn, _attrs in conn.search_s(base, ldap.SCOPE_SUBTREE, attrlist=["1.1"]) if dn != base]
    except ldap.NO_SUCH_OBJECT:
        return []


def start() -> HospitalDirectory:
    server = HospitalDirectory()
    server.start()
    server.ldapadd(
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: hospital\ndc: hospital\n\n"
        f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people\n\n"
        f"dn: {GROUPS}\nobjectClass: organizationalUnit\nou: groups\n"
    )
    return server
