import factory
from django.contrib.auth.models import Group

from accounts.models import Department, User


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"测试科室{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"职工{n}")
    employee_no = factory.Sequence(lambda n: f"9{n:05d}")
    department = factory.SubFactory(DepartmentFactory)
    email = factory.LazyAttribute(lambda u: f"{u.username}@hospital.local")
    password = factory.django.Password("Demo-2026")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            self.groups.add(Group.objects.get_or_create(name=role)[0])


def approved_scheme(system, *, allotted_to="全院职工", proposed_by=None, approved_by=None, modules=None):
    """Give ``system`` an access scheme in force over ``modules`` (default: all its modules), as a leader approved it.

    Without named signatories, two inactive logins sign: they appear in no person list and receive no notice.
    """
    from django.utils import timezone

    from accounts.models import AccessScheme, AccessSchemeLine

    def signatory(username):
        return User.objects.filter(username=username).first() or UserFactory(
            username=username, is_active=False, department=None
        )

    system.schemes.filter(state=AccessScheme.State.APPROVED).update(
        state=AccessScheme.State.SUPERSEDED, superseded_at=timezone.now()
    )
    version = (system.schemes.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    scheme = AccessScheme.objects.create(
        system=system,
        version=version,
        state=AccessScheme.State.APPROVED,
        proposed_by=proposed_by or signatory("scheme-proposer"),
        decided_by=approved_by or signatory("scheme-approver"),
        decided_at=timezone.now(),
    )
    AccessSchemeLine.objects.bulk_create(
        AccessSchemeLine(scheme=scheme, module=module, allotted_to=allotted_to)
        for module in (system.modules.all() if modules is None else modules)
    )
    return scheme
