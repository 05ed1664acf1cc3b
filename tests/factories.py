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
