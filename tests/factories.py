"""factory_boy factories for every model tests build."""

from __future__ import annotations

import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from carnet.accounts.models import User
from carnet.feed.models import Post
from carnet.organizations.models import Organization, OrganizationKind
from carnet.profiles.models import Education, Position, Profile, ProfileSkill, Skill

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _finish(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MemberFactory(UserFactory):
    """A member as the site makes them: verified e-mail and a profile."""

    @factory.post_generation
    def profile(obj, create, extracted, **kwargs):
        if not create:
            return
        obj.save()
        EmailAddress.objects.get_or_create(user=obj, email=obj.email, defaults={"primary": True, "verified": True})
        from carnet.profiles.services import profile_create

        profile_create(user=obj, **kwargs)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = OrganizationKind.COMPANY
    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")
    industry = "Software"
    location = "Lyon, France"


class SchoolFactory(OrganizationFactory):
    kind = OrganizationKind.SCHOOL
    name = factory.Sequence(lambda n: f"School {n}")
    slug = factory.Sequence(lambda n: f"school-{n}")
    industry = "Education"


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    profile = factory.LazyAttribute(lambda o: MemberFactory().profile)
    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Faker("job")
    start_date = datetime.date(2019, 1, 1)
    end_date = None
    is_current = True


class EducationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Education

    profile = factory.LazyAttribute(lambda o: MemberFactory().profile)
    organization = factory.SubFactory(SchoolFactory)
    degree = "Master"
    field_of_study = "Computer science"
    start_year = 2012
    end_year = 2014


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("normalized",)

    name = factory.Sequence(lambda n: f"Skill {n}")
    normalized = factory.LazyAttribute(lambda o: o.name.casefold())


class ProfileSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProfileSkill

    profile = factory.LazyAttribute(lambda o: MemberFactory().profile)
    skill = factory.SubFactory(SkillFactory)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    author = factory.SubFactory(MemberFactory)
    body = factory.Faker("paragraph")
    created = factory.LazyFunction(timezone.now)


__all__ = [
    "DEFAULT_PASSWORD",
    "EducationFactory",
    "MemberFactory",
    "OrganizationFactory",
    "PositionFactory",
    "PostFactory",
    "Profile",
    "ProfileSkillFactory",
    "SchoolFactory",
    "SkillFactory",
    "UserFactory",
]


# --- network: invitations, follows, blocks, labels, plan grants (network-core) ---------------
from carnet.network.models import Block, Follow, Invitation, Label, PlanGrant  # noqa: E402


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    sender = factory.SubFactory(MemberFactory)
    recipient = factory.SubFactory(MemberFactory)
    note = ""


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    follower = factory.SubFactory(MemberFactory)
    followed = factory.SubFactory(MemberFactory)


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    blocker = factory.SubFactory(MemberFactory)
    blocked = factory.SubFactory(MemberFactory)


class LabelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Label

    owner = factory.SubFactory(MemberFactory)
    name = factory.Sequence(lambda n: f"Label {n}")


class PlanGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanGrant

    user = factory.SubFactory(MemberFactory)
    plan = "premium"
    starts = factory.LazyFunction(timezone.now)
    ends = None


__all__ += ["BlockFactory", "FollowFactory", "InvitationFactory", "LabelFactory", "PlanGrantFactory"]


# --- network: introductions, recommendations, endorsements (network-relations) ---------------
import datetime as _datetime  # noqa: E402

from carnet.network.models import (  # noqa: E402
    Endorsement,
    Introduction,
    Recommendation,
    RecommendationRelationship,
    RecommendationStatus,
)


class IntroductionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Introduction

    requester = factory.SubFactory(MemberFactory)
    intermediary = factory.SubFactory(MemberFactory)
    target = factory.SubFactory(MemberFactory)
    message = "I would like to meet you."
    expires = factory.LazyFunction(lambda: timezone.now() + _datetime.timedelta(days=14))


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    author = factory.SubFactory(MemberFactory)
    recipient = factory.SubFactory(MemberFactory)
    relationship = RecommendationRelationship.SAME_TEAM
    context = "Data team at Acme"
    text = "A careful engineer who ships."
    status = RecommendationStatus.PENDING


class EndorsementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Endorsement

    endorser = factory.SubFactory(MemberFactory)
    profile_skill = factory.SubFactory(ProfileSkillFactory)


__all__ += ["EndorsementFactory", "IntroductionFactory", "RecommendationFactory"]
