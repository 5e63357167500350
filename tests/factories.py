import datetime as dt

import factory
from django.contrib.auth.models import Group
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import Role
from registry.models import Employer, Mission, Worker

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@ministry.example")
    first_name = "Alex"
    last_name = "Staff"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            group = Group.objects.filter(name=str(extracted)).first()
            if group is None:
                # A transactional test that runs after a browser test in the same process finds
                # the roles flushed and not restored (tests/e2e/conftest.py): recreate them.
                from accounts.services import roles_sync

                roles_sync()
                group = Group.objects.get(name=str(extracted))
            self.groups.add(group)
        if create:
            self.save()


def totp_device_for(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="default", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mission

    name = factory.Sequence(lambda n: f"Embassy number {n}")
    kind = Mission.Kind.EMBASSY
    sending_state = "PH"


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    mission = factory.SubFactory(MissionFactory)
    family_name = "Santos"
    given_names = "Maria"
    title = "First Secretary"
    accreditation_number = factory.Sequence(lambda n: f"ACC-{n:05d}")
    privileges_category = Employer.PrivilegesCategory.DIPLOMATIC_AGENT


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worker

    family_name = "Dela Cruz"
    given_names = factory.Sequence(lambda n: f"Rosario {n}")
    date_of_birth = dt.date(1985, 3, 14)
    sex = Worker.Sex.FEMALE
    nationality = "PH"
    preferred_language = "tl"


ROLES = list(Role)
