"""`carnet seed`: a realistic synthetic network, deterministic for a seed.

Members get a city (and with it a language: French or English), a name from Faker's lists
for that language, an industry, a career (positions at companies of their industry, climbing
its job titles, with overlapping periods at the same companies), an education at schools with
class years, skills from their industry's catalogue, languages, a headline and an about text
written from their career, and posts. Connections follow `graph.py`: heavy-tailed degrees,
clustered by company and era, school and class, and city.

Determinism: the same seed, size and `as_of` date give the same rows (emails, names, texts,
dates, who is connected to whom), whatever the machine. Primary keys are whatever the database
hands out, so compare rows by e-mail, not by id.

Speed: rows are built in memory and loaded with COPY (PostgreSQL) or the driver's executemany
(SQLite) — see bulk.py. Seeded members have an unusable password (hashing 100,000 passwords
takes an hour); only the demo accounts can log in.
"""

from __future__ import annotations

import contextlib
import datetime
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.dispatch import Signal
from django.utils.text import slugify

from carnet.core.seed import bulk
from carnet.core.seed import catalogue as cat
from carnet.core.seed.bulk import Inserter, Values, analyze, reset_sequences, secondary_indexes_dropped
from carnet.core.seed.graph import Layer, build_edges, target_degrees

DEMO_EMAIL = "demo@carnet.example"
DEMO_FRIEND_EMAIL = "demo2@carnet.example"
DEMO_DOMAIN = "demo.carnet.example"
SEED_JOB_KIND = "seed"
# Sent (with `report=`) once a seeded network is committed. Seeding writes rows in bulk, without
# model signals: an app that keeps a derived index (graph engine, search) rebuilds it here.
SEEDED = Signal()
AUDIENCES = (("public", 0.7), ("connections", 0.15), ("network", 0.1), ("members", 0.05))
EMPLOYMENT = (
    ("full_time", 0.82),
    ("contract", 0.07),
    ("freelance", 0.05),
    ("part_time", 0.04),
    ("self_employed", 0.02),
)
PROFICIENCY_SECOND = ("professional", "full", "limited", "elementary")


def model(label: str):
    # Looked up by name: core must not import the apps above it (docs/architecture.md), and
    # seeding is the one tool of core that writes their tables.
    return apps.get_model(label)


def companies_count(n: int) -> int:
    return round(20 + 2.5 * math.sqrt(n))


def schools_count(n: int) -> int:
    return round(10 + 0.8 * math.sqrt(n))


@dataclass
class Org:
    name: str
    industry: int  # index in cat.INDUSTRIES, -1 for schools
    city: int
    weight: float
    id: int = 0


@dataclass(slots=True)
class Member:
    """What the generator knows about a member while it writes their rows."""

    index: int
    lang: str
    city: int
    industry: int
    first: str
    last: str
    email: str
    rich: bool = False
    companies: list[int] = field(default_factory=list)
    schools: list[int] = field(default_factory=list)
    title: str = ""
    skills: tuple[str, ...] = ()


class Seeder:
    def __init__(
        self,
        *,
        members: int,
        seed: int,
        demo: bool,
        posts_per_member: float,
        as_of: datetime.date,
        mean_degree: float | None,
        progress: Callable[[str, int], object],
    ):
        self.n = members
        self.seed = seed
        self.demo = demo
        self.posts_per_member = posts_per_member
        self.as_of = as_of
        self.mean_degree = mean_degree
        self.progress = progress
        sequence = np.random.SeedSequence([seed, int(demo)])
        streams = sequence.spawn(5)
        self.np_people, self.np_graph, self.np_posts, self.np_orgs, self.np_dates = (
            np.random.default_rng(s) for s in streams
        )
        self.rnd = random.Random(int(sequence.generate_state(1)[0]))
        self.values = Values()
        # Midnight UTC of as_of: nothing seeded is later than that.
        self.midnight = datetime.datetime.combine(as_of, datetime.time(), tzinfo=datetime.UTC)
        self.now = self.midnight
        self.report: dict = {}

    # -- helpers --------------------------------------------------------------------------

    def dt(self, days_ago: float, hour: int = 9, minute: int = 0) -> str:
        moment = self.midnight - datetime.timedelta(days=int(days_ago)) + datetime.timedelta(hours=hour, minutes=minute)
        return self.values.datetime(min(moment, self.midnight - datetime.timedelta(minutes=1)))

    def pick(self, weighted: tuple) -> str:
        names, weights = zip(*weighted, strict=True)
        return self.rnd.choices(names, weights=weights)[0]

    # -- organizations and skills ---------------------------------------------------------

    def create_organizations(self) -> None:
        Organization = model("organizations.Organization")
        rng = self.np_orgs
        faker_fr, faker_en = _fakers(self.seed)
        city_weights = np.array([c[2] for c in cat.CITIES])
        city_weights = city_weights / city_weights.sum()
        industry_weights = np.array([i.weight for i in cat.INDUSTRIES])
        industry_weights = industry_weights / industry_weights.sum()
        taken_names: set[str] = set()
        taken_slugs = set(Organization.objects.values_list("slug", flat=True))

        def unique_name(name: str, city: str) -> str:
            if name in taken_names:
                name = f"{name} {city}"
            base, k = name, 2
            while name in taken_names:
                name, k = f"{base} {k}", k + 1
            taken_names.add(name)
            return name

        self.companies: list[Org] = []
        n_companies = companies_count(self.n)
        industries = rng.choice(len(cat.INDUSTRIES), n_companies, p=industry_weights)
        cities = rng.choice(len(cat.CITIES), n_companies, p=city_weights)
        # Company sizes follow Zipf's law: a few employ thousands, most a handful.
        sizes = 1 / np.arange(1, n_companies + 1) ** 1.07
        sizes = sizes[rng.permutation(n_companies)]
        for k in range(n_companies):
            industry = cat.INDUSTRIES[industries[k]]
            city, country, _w = cat.CITIES[cities[k]]
            lang = "fr" if country in cat.FRENCH_COUNTRIES and city != "Toronto" else "en"
            faker = faker_fr if lang == "fr" else faker_en
            suffixes = cat.COMPANY_SUFFIXES[industry.name]
            if not suffixes:
                name = self.rnd.choice(cat.PUBLIC_BODY_PATTERNS[lang]).format(city=city)
            elif self.rnd.random() < 0.3:
                name = faker.company()
            else:
                name = f"{faker.last_name()} {self.rnd.choice(suffixes)}"
            self.companies.append(Org(unique_name(name, city), int(industries[k]), int(cities[k]), float(sizes[k])))

        self.schools: list[Org] = []
        n_schools = schools_count(self.n)
        cities = rng.choice(len(cat.CITIES), n_schools, p=city_weights)
        sizes = 1 / np.arange(1, n_schools + 1) ** 0.8
        sizes = sizes[rng.permutation(n_schools)]
        for k in range(n_schools):
            city, country, _w = cat.CITIES[cities[k]]
            patterns = cat.SCHOOL_PATTERNS_FR if country in cat.FRENCH_COUNTRIES else cat.SCHOOL_PATTERNS_EN
            name = self.rnd.choice(patterns).format(city=city)
            self.schools.append(Org(unique_name(name, city), -1, int(cities[k]), float(sizes[k])))

        rows = []
        for org, kind in [(c, "company") for c in self.companies] + [(s, "school") for s in self.schools]:
            city, country, _w = cat.CITIES[org.city]
            slug = base = slugify(org.name)[:100] or kind
            k = 2
            while slug in taken_slugs:
                slug, k = f"{base}-{k}", k + 1
            taken_slugs.add(slug)
            industry = cat.INDUSTRIES[org.industry].name if org.industry >= 0 else "Education"
            french = country in cat.FRENCH_COUNTRIES
            description = (
                f"{org.name} : {industry.lower()} à {city}." if french else f"{org.name}: {industry.lower()} in {city}."
            )
            rows.append(
                Organization(
                    kind=kind,
                    name=org.name[:200],
                    slug=slug,
                    industry=industry,
                    location=f"{city}, {country}",
                    website=f"https://{slug}.example.com",
                    description=description,
                )
            )
        created = Organization.objects.bulk_create(rows, batch_size=1000)
        for org, row in zip(self.companies + self.schools, created, strict=True):
            org.id = row.pk
        self.report["companies"] = len(self.companies)
        self.report["schools"] = len(self.schools)

        # Per industry: the companies and their cumulative weights, for `random.choices`.
        self.companies_by_industry: list[tuple[list[int], list[float]]] = []
        for i in range(len(cat.INDUSTRIES)):
            members = [k for k, c in enumerate(self.companies) if c.industry == i] or list(range(len(self.companies)))
            self.companies_by_industry.append((members, _cumulative([self.companies[k].weight for k in members])))
        everyone = list(range(len(self.companies)))
        self.all_companies = (everyone, _cumulative([c.weight for c in self.companies]))
        self.schools_by_city: dict[int, tuple[list[int], list[float]]] = {}
        for k, school in enumerate(self.schools):
            self.schools_by_city.setdefault(school.city, ([], []))[0].append(k)
        for ks, cum in self.schools_by_city.values():
            cum.extend(_cumulative([self.schools[k].weight for k in ks]))
        self.all_schools = (list(range(len(self.schools))), _cumulative([s.weight for s in self.schools]))

    def create_skills(self) -> None:
        from carnet.core.seed.catalogue import GENERIC_SKILLS

        Skill = model("profiles.Skill")
        normalize = _normalize_skill()
        names = [s for industry in cat.INDUSTRIES for s in industry.skills] + list(GENERIC_SKILLS)
        wanted = {normalize(n): n for n in reversed(names)}
        existing = dict(Skill.objects.filter(normalized__in=wanted).values_list("normalized", "id"))
        missing = [Skill(name=name, normalized=key) for key, name in sorted(wanted.items()) if key not in existing]
        Skill.objects.bulk_create(missing, batch_size=500)
        existing = dict(Skill.objects.filter(normalized__in=wanted).values_list("normalized", "id"))
        self.skill_id = {name: existing[normalize(name)] for name in names}

    # -- members ---------------------------------------------------------------------------

    def draw_members(self) -> list[Member]:
        n, rng = self.n, self.np_people
        city_weights = np.array([c[2] for c in cat.CITIES])
        cities = rng.choice(len(cat.CITIES), n, p=city_weights / city_weights.sum())
        industry_weights = np.array([i.weight for i in cat.INDUSTRIES])
        industries = rng.choice(len(cat.INDUSTRIES), n, p=industry_weights / industry_weights.sum())
        french_city = np.array([c[1] in cat.FRENCH_COUNTRIES and c[0] != "Toronto" for c in cat.CITIES])
        lang_fr = french_city[cities] ^ (rng.random(n) < 0.12)  # 12 % write in the other language
        female = rng.random(n) < 0.5
        pools = _name_pools()
        firsts = np.empty(n, dtype=object)
        lasts = np.empty(n, dtype=object)
        for lang in ("fr", "en"):
            for is_female in (False, True):
                mask = (lang_fr == (lang == "fr")) & (female == is_female)
                names, p = pools[lang]["female" if is_female else "male"]
                firsts[mask] = np.asarray(names, dtype=object)[rng.choice(len(names), int(mask.sum()), p=p)]
            mask = lang_fr == (lang == "fr")
            names, p = pools[lang]["last"]
            lasts[mask] = np.asarray(names, dtype=object)[rng.choice(len(names), int(mask.sum()), p=p)]

        domain_choice = rng.integers(0, len(cat.EMAIL_DOMAINS), n)
        members = []
        for i in range(n):
            first, last = str(firsts[i]), str(lasts[i])
            local = f"{slugify(first)}.{slugify(last)}".replace("-", "")
            domain = DEMO_DOMAIN if self.demo else cat.EMAIL_DOMAINS[domain_choice[i]]
            members.append(
                Member(
                    index=i,
                    lang="fr" if lang_fr[i] else "en",
                    city=int(cities[i]),
                    industry=int(industries[i]),
                    first=first,
                    last=last,
                    email=f"{local}.{i}@{domain}",
                )
            )
        if self.demo:
            members[0] = Member(0, "fr", 0, 0, "Camille", "Laurent", DEMO_EMAIL, rich=True)
            if n > 1:
                members[1] = Member(1, "en", 0, 0, "Louis", "Bernard", DEMO_FRIEND_EMAIL, rich=True)
        return members

    def write_members(self, members: list[Member]) -> None:
        User = model("accounts.User")
        Profile = model("profiles.Profile")
        EmailAddress = model("account.EmailAddress")
        taken_emails = set(
            User.objects.filter(email__in=[m.email for m in members if m.rich]).values_list("email", flat=True)
        )
        if taken_emails:
            raise SeedError(f"These accounts exist already: {', '.join(sorted(taken_emails))}.")
        base = (User.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        self.first_id = base
        demo_password = make_password(settings.CARNET_SEED_DEMO_PASSWORD) if self.demo else ""
        taken_slugs = set(Profile.objects.values_list("slug", flat=True))
        suffixes = self.np_people.integers(0, 16**6, self.n)

        user_rows, email_rows, profile_rows = [], [], []
        for m in members:
            uid = base + m.index
            joined_days = self.rnd.uniform(30, 8 * 365)
            password = demo_password if m.rich else "!" + format(self.rnd.getrandbits(160), "040x")
            user_rows.append((uid, password, m.first, m.last, m.email, True, False, False, self.dt(joined_days)))
            email_rows.append((uid, m.email, True, True))
            slug = slugify(f"{m.first} {m.last}")[:80] or "member"
            slug = slug if m.rich else f"{slug}-{suffixes[m.index]:06x}"
            k = 2
            base_slug = slug
            while slug in taken_slugs:
                slug, k = f"{base_slug}-{k}", k + 1
            taken_slugs.add(slug)
            profile_rows.append([uid, slug, self.dt(joined_days)])
        self.member_slugs = [row[1] for row in profile_rows]

        Inserter(
            User,
            [
                "id",
                "password",
                "first_name",
                "last_name",
                "email",
                "is_active",
                "is_staff",
                "is_superuser",
                "date_joined",
            ],
            now=self.now,
        ).load(user_rows, self._tick("accounts"))
        reset_sequences(User)
        Inserter(EmailAddress, ["user_id", "email", "verified", "primary"], now=self.now).load(
            email_rows, self._tick("accounts")
        )
        self.profile_rows = profile_rows

    def write_careers(self, members: list[Member]) -> dict:
        """Positions, education, skills, languages and the profile texts; returns the arrays the
        graph layers are built from."""
        Profile = model("profiles.Profile")
        Position = model("profiles.Position")
        Education = model("profiles.Education")
        ProfileSkill = model("profiles.ProfileSkill")
        Language = model("profiles.Language")
        r, v = self.rnd, self.values
        year = self.as_of.year
        pos_member, pos_company, pos_era, pos_years = [], [], [], []
        edu_member, edu_group = [], []
        position_rows, education_rows, skill_rows, language_rows, profiles = [], [], [], [], []
        career_years = np.clip(self.np_people.gamma(2.2, 6.0, self.n), 0.3, 42.0)

        for m in members:
            uid = self.first_id + m.index
            industry = cat.INDUSTRIES[m.industry]
            city, country, _w = cat.CITIES[m.city]
            years = 14.0 if m.rich else float(career_years[m.index])
            stamp = self.profile_rows[m.index][2]

            # Education: a degree finished when the career started, sometimes one before it.
            grad_year = year - int(years)
            entries = 2 if (m.rich or r.random() < 0.3) else 1
            schools, end_year = [], grad_year
            for order in range(entries):
                ks, cum = self.schools_by_city.get(m.city, self.all_schools)
                if r.random() > 0.55:
                    ks, cum = self.all_schools
                school = r.choices(ks, cum_weights=cum)[0]
                degree_en, degree_fr, length = r.choice(cat.DEGREES)
                field_en, field_fr = r.choice(industry.fields)
                start_year = end_year - length
                education_rows.append(
                    (
                        uid,
                        self.schools[school].id,
                        degree_fr if m.lang == "fr" else degree_en,
                        field_fr if m.lang == "fr" else field_en,
                        start_year,
                        end_year,
                        order,
                        stamp,
                        stamp,
                    )
                )
                edu_member.append(m.index)
                edu_group.append(school * 1024 + end_year // 3)
                schools.append(school)
                end_year = start_year
            m.schools = schools

            # Positions: the career cut into consecutive jobs climbing the industry's titles,
            # some overlapping (a side activity, a notice period), the last one current.
            start = min(datetime.date(grad_year, r.choice((7, 9, 10)), 1), self.as_of - datetime.timedelta(days=60))
            total_days = max(60, (self.as_of - start).days)
            k = 4 if m.rich else max(1, min(6, int(years / r.uniform(2.5, 5.0)) + 1))
            cuts = sorted(r.uniform(0, total_days) for _ in range(k - 1))
            bounds = [0.0, *cuts, float(total_days)]
            jobs = []
            for j in range(k):
                begin = _month(start + datetime.timedelta(days=bounds[j]))
                last = j == k - 1
                if last and r.random() < 0.92:
                    end, current = None, True
                else:
                    end = _month(start + datetime.timedelta(days=bounds[j + 1])) - datetime.timedelta(days=1)
                    if not last and r.random() < 0.12:
                        end = end + datetime.timedelta(days=r.randint(30, 180))
                    end = min(max(end, begin + datetime.timedelta(days=27)), self.as_of)
                    current = False
                progress = bounds[j] / total_days
                climbed = int(progress * len(industry.titles) * 0.8 + r.random() * 1.5)
                # Careers climb: never a more junior title than the previous job's.
                title_index = min(len(industry.titles) - 1, max(climbed, jobs[-1][3] if jobs else 0))
                if r.random() < 0.8:
                    ks, cum = self.companies_by_industry[m.industry]
                else:
                    ks, cum = self.all_companies
                company = r.choices(ks, cum_weights=cum)[0]
                jobs.append((begin, end, current, title_index, company))
            m.companies = [job[4] for job in jobs]

            skill_names = r.sample(industry.skills, min(len(industry.skills), 12 if m.rich else r.randint(4, 10)))
            skill_names += r.sample(cat.GENERIC_SKILLS, 2 if m.rich else r.randint(0, 2))
            skill_ids = list(dict.fromkeys(self.skill_id[s] for s in skill_names))
            for order, skill_id in enumerate(skill_ids):
                skill_rows.append((uid, skill_id, order))
            words = {
                "skill1": skill_names[0],
                "skill2": skill_names[1 % len(skill_names)],
                "skill3": skill_names[2 % len(skill_names)],
                "industry": (industry.name_fr if m.lang == "fr" else industry.name).lower(),
                "Industry": industry.name_fr if m.lang == "fr" else industry.name,
                "city": city,
                "team": r.randint(3, 40),
                "mentees": r.randint(2, 8),
                "years": max(1, int(years)),
                "school": self.schools[schools[0]].name,
                "field": (industry.fields[0][1] if m.lang == "fr" else industry.fields[0][0]).lower(),
            }

            for order, (begin, end, current, title_index, company) in enumerate(reversed(jobs)):
                en, fr = industry.titles[title_index]
                title = fr if m.lang == "fr" else en
                free_text = r.random() < 0.05 and not m.rich
                description = r.choice(cat.POSITION_DESCRIPTIONS[m.lang]).format(**words)
                c = self.companies[company]
                position_rows.append(
                    (
                        uid,
                        None if free_text else c.id,
                        c.name if free_text else "",
                        title,
                        "internship" if (order == len(jobs) - 1 and r.random() < 0.2) else self.pick(EMPLOYMENT),
                        f"{cat.CITIES[c.city][0]}, {cat.CITIES[c.city][1]}",
                        v.date(begin),
                        v.date(end) if end else None,
                        current,
                        description,
                        order,
                        stamp,
                        stamp,
                    )
                )
                pos_member.append(m.index)
                pos_company.append(company)
                mid = begin.year if end is None else (begin.year + end.year) // 2
                pos_era.append(mid // 6)
                pos_years.append(max(0.25, ((end or self.as_of) - begin).days / 365.25))

            spoken = [("French", "native"), ("English", r.choice(PROFICIENCY_SECOND))]
            if m.lang == "en":
                spoken = (
                    [("English", "native"), ("French", r.choice(PROFICIENCY_SECOND))]
                    if r.random() < 0.5
                    else [("English", "native")]
                )
            if m.rich or r.random() < 0.25:
                other = r.choice([lang for lang in cat.LANGUAGES if lang not in {s[0] for s in spoken}])
                spoken.append((other, r.choice(PROFICIENCY_SECOND[1:])))
            for order, (name, level) in enumerate(spoken):
                language_rows.append((uid, name, level, order))

            current_job = jobs[-1]
            en, fr = industry.titles[current_job[3]]
            title = fr if m.lang == "fr" else en
            previous = [job[4] for job in jobs if job[4] != current_job[4]]
            words.update(
                title=title,
                title_lower=_lower_first(title),
                company=self.companies[current_job[4]].name.rstrip("."),
                previous=self.companies[previous[-1]].name.rstrip(".") if previous else "",
            )
            headline = r.choice(cat.HEADLINES[m.lang]).format(**words)
            middles = [t for t in cat.ABOUT_MIDDLES[m.lang] if previous or "{previous}" not in t]
            about = " ".join(
                part
                for part in (
                    r.choice(cat.ABOUT_OPENINGS[m.lang]).format(**words),
                    *(t.format(**words) for t in r.sample(middles, 3 if m.rich else r.randint(1, 2))),
                    r.choice(cat.ABOUT_CLOSINGS[m.lang]).format(**words),
                )
                if part
            )
            updated = self.dt(r.uniform(0, 400))
            uid_, slug, joined = self.profile_rows[m.index]
            profiles.append(
                (
                    uid_,
                    slug,
                    headline[:220],
                    f"{city}, {country}",
                    industry.name,
                    about[:2600],
                    r.random() < 0.06,
                    updated,
                    joined,
                    updated,
                )
            )
            m.title, m.skills = title, (words["skill1"], words["skill2"], words["skill3"])
            if m.index % 1000 == 999:
                self.progress("profiles", 1000)
        self.progress("profiles", len(members) % 1000)

        Inserter(
            Profile,
            [
                "user_id",
                "slug",
                "headline",
                "location",
                "industry",
                "about",
                "open_to_work",
                "last_meaningful_update",
                "created",
                "updated",
            ],
            now=self.now,
        ).load(profiles, self._tick("rows"))
        Inserter(
            Position,
            [
                "profile_id",
                "organization_id",
                "company_name",
                "title",
                "employment_type",
                "location",
                "start_date",
                "end_date",
                "is_current",
                "description",
                "order",
                "created",
                "updated",
            ],
            now=self.now,
        ).load(position_rows, self._tick("rows"))
        Inserter(
            Education,
            [
                "profile_id",
                "organization_id",
                "degree",
                "field_of_study",
                "start_year",
                "end_year",
                "order",
                "created",
                "updated",
            ],
            now=self.now,
        ).load(education_rows, self._tick("rows"))
        Inserter(ProfileSkill, ["profile_id", "skill_id", "order"], now=self.now).load(skill_rows, self._tick("rows"))
        Inserter(Language, ["profile_id", "name", "proficiency", "order"], now=self.now).load(
            language_rows, self._tick("rows")
        )
        self.report.update(positions=len(position_rows), education=len(education_rows), skills=len(skill_rows))
        return {
            "pos_member": np.asarray(pos_member, np.int64),
            "pos_group": np.asarray(pos_company, np.int64) * 1024 + np.asarray(pos_era, np.int64),
            "pos_years": np.asarray(pos_years, np.float64),
            "edu_member": np.asarray(edu_member, np.int64),
            "edu_group": np.asarray(edu_group, np.int64),
            "city": np.asarray([m.city for m in members], np.int64),
        }

    # -- connections -----------------------------------------------------------------------

    def write_connections(self, arrays: dict) -> None:
        Connection = model("network.Connection")
        rng, n = self.np_graph, self.n
        degrees = target_degrees(rng, n, cap=settings.CARNET_MAX_CONNECTIONS, mean=self.mean_degree)
        forced: list[tuple[int, int]] = []
        if self.demo and n > 2:
            # The demo account is well connected, and connected to the second demo account.
            degrees.target[0] = max(degrees.target[0], min(n - 1, max(40, n // 4)))
            degrees.target[1] = max(degrees.target[1], min(n - 1, 12))
            forced.append((0, 1))
        layers = [
            Layer("company", arrays["pos_member"], arrays["pos_group"], arrays["pos_years"], 0.45, 0.1),
            Layer("school", arrays["edu_member"], arrays["edu_group"], np.ones(len(arrays["edu_member"])), 0.2, 0.05),
            Layer("city", np.arange(n), arrays["city"], np.ones(n), 0.1, 0.05),
        ]
        u, w = build_edges(rng, degrees, layers, forced=forced)
        degree = np.bincount(u, minlength=n) + np.bincount(w, minlength=n)
        self.degree = degree
        self.report.update(
            connections=int(len(u)),
            mean_degree=round(float(degree.mean()), 2) if n else 0,
            median_degree=float(np.median(degree)) if n else 0,
            max_degree=int(degree.max(initial=0)),
            isolated=int((degree == 0).sum()),
            hubs=[self.first_id + int(i) for i in degrees.hubs[:20]],
            capped=[self.first_id + int(i) for i in degrees.capped],
        )

        # When each pair connected: recent connections are the most common, none older than
        # 12 years. One table of text timestamps, indexed, instead of 25 M datetime objects.
        days = np.minimum(self.np_dates.exponential(900, len(u)).astype(np.int64) + 1, 12 * 365)
        hours = self.np_dates.integers(7, 23, len(u))
        table = np.array([self.dt(d, h) for d in range(12 * 365 + 1) for h in range(24)], dtype=object)
        stamp = days * 24 + hours
        member = np.concatenate([u, w]) + self.first_id
        other = np.concatenate([w, u]) + self.first_id
        stamp = np.concatenate([stamp, stamp])
        # Rows in (member, other) order: the unique index then grows at its end.
        order = np.lexsort((other, member))
        inserter = Inserter(Connection, ["member_id", "other_id", "created"], now=self.now)
        step = 200_000
        tick = self._tick("connections")
        # A demo load is small and may go into a running instance: keep its indexes (and locks) alone.
        big = len(order) >= bulk.DROP_INDEXES_ROWS
        with secondary_indexes_dropped(Connection) if big else contextlib.nullcontext():
            for start in range(0, len(order), step):
                chunk = order[start : start + step]
                rows = zip(member[chunk].tolist(), other[chunk].tolist(), table[stamp[chunk]].tolist(), strict=True)
                inserter.insert(rows, tick)
            self.progress("indexes", 0)

    # -- posts -----------------------------------------------------------------------------

    def write_posts(self, members: list[Member]) -> None:
        Post = model("feed.Post")
        r = self.rnd
        counts = (
            self.np_posts.poisson(self.posts_per_member, self.n) if self.posts_per_member > 0 else np.zeros(self.n, int)
        )
        if self.demo:
            counts[: min(2, self.n)] = np.maximum(counts[: min(2, self.n)], 4)
        audiences, weights = zip(*AUDIENCES, strict=True)
        rows = []
        for m in members:
            words = self._words_for(m)
            for _ in range(int(counts[m.index])):
                body = r.choice(cat.POSTS[m.lang]).format(**words)
                when = self.dt(r.uniform(1, 90), r.randint(7, 22), r.randint(0, 59))
                rows.append((m.index + self.first_id, body, r.choices(audiences, weights=weights)[0], when, when))
        Inserter(Post, ["author_id", "body", "audience", "created", "updated"], now=self.now).load(
            rows, self._tick("posts")
        )
        self.report["posts"] = len(rows)

    def _words_for(self, m: Member) -> dict:
        industry = cat.INDUSTRIES[m.industry]
        company = self.companies[m.companies[-1]]
        return {
            "title": m.title,
            "title_lower": _lower_first(m.title),
            "company": company.name.rstrip("."),
            "skill1": m.skills[0],
            "skill2": m.skills[1],
            "skill3": m.skills[2],
            "industry": (industry.name_fr if m.lang == "fr" else industry.name).lower(),
            "city": cat.CITIES[m.city][0],
            "years": 5 + m.index % 15,
            "school": self.schools[m.schools[0]].name,
        }

    def _tick(self, stage: str) -> Callable[[int], object]:
        return lambda count: self.progress(stage, count)

    # -- all of it -------------------------------------------------------------------------

    def run(self) -> dict:
        started = time.perf_counter()
        if connection.vendor == "sqlite":
            # A larger page cache for the load (this connection only): index pages stay in memory.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")
        self.create_organizations()
        self.create_skills()
        members = self.draw_members()
        self.write_members(members)
        arrays = self.write_careers(members)
        self.write_posts(members)
        self.write_connections(arrays)
        analyze(
            model("accounts.User"),
            model("profiles.Profile"),
            model("profiles.Position"),
            model("profiles.Education"),
            model("profiles.ProfileSkill"),
            model("network.Connection"),
            model("feed.Post"),
        )
        self.report.update(
            members=self.n,
            seed=self.seed,
            demo=self.demo,
            as_of=self.as_of.isoformat(),
            posts_per_member=self.posts_per_member,
            first_user_id=self.first_id,
            last_user_id=self.first_id + self.n - 1,
            seconds=round(time.perf_counter() - started, 1),
            vendor=connection.vendor,
        )
        return self.report


class SeedError(Exception):
    """Seeding cannot go on; the message says why and what to do."""


def seed_network(
    *,
    members: int,
    seed: int = 42,
    demo: bool = False,
    posts_per_member: float = 2,
    as_of: datetime.date | None = None,
    mean_degree: float | None = None,
    progress: Callable[[str, int], object] | None = None,
) -> dict:
    """Create a synthetic network of `members` members in one transaction; returns its report
    (also kept in a core.Job of kind "seed" so that benchmarks can tell what the database holds)."""
    from django.utils import timezone

    from carnet.core.models import Job, JobStatus

    if members < 1:
        raise SeedError("--members must be at least 1.")
    as_of = as_of or timezone.now().date()
    seeder = Seeder(
        members=members,
        seed=seed,
        demo=demo,
        posts_per_member=posts_per_member,
        as_of=as_of,
        mean_degree=mean_degree,
        progress=progress or (lambda stage, count: None),
    )
    with transaction.atomic():
        job = Job.objects.create(kind=SEED_JOB_KIND, status=JobStatus.RUNNING, total=members)
        report = seeder.run()
        job.status, job.done, job.report, job.finished = JobStatus.DONE, members, report, timezone.now()
        job.save(update_fields=["status", "done", "report", "finished"])
        transaction.on_commit(lambda: SEEDED.send(sender=Seeder, report=report))
    return report


def _fakers(seed: int):
    from faker import Faker

    fr, en = Faker("fr_FR"), Faker("en_US")
    fr.seed_instance(seed)
    en.seed_instance(seed + 1)
    return fr, en


def _name_pools() -> dict:
    """Faker's first and last names for French and English, with their frequencies."""
    from faker.providers.person.en_US import Provider as English
    from faker.providers.person.fr_FR import Provider as French

    def pool(names) -> tuple[list[str], np.ndarray]:
        if isinstance(names, dict):
            keys, weights = list(names), np.array(list(names.values()), dtype=float)
        else:
            keys = list(dict.fromkeys(names))
            weights = np.ones(len(keys))
        return keys, weights / weights.sum()

    return {
        "fr": {
            "male": pool(French.first_names_male),
            "female": pool(French.first_names_female),
            "last": pool(French.last_names),
        },
        "en": {
            "male": pool(English.first_names_male),
            "female": pool(English.first_names_female),
            "last": pool(English.last_names),
        },
    }


def _normalize_skill():
    from carnet.profiles.models import normalize_skill

    return normalize_skill


def _cumulative(weights: list[float]) -> list[float]:
    return np.cumsum(weights).tolist()


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _lower_first(text: str) -> str:
    """A title in the middle of a sentence: "Data Engineer" -> "data engineer", but "CTO" and
    "DevOps" keep their capitals."""
    return " ".join(w.lower() if w[:1].isupper() and w[1:].islower() else w for w in text.split(" "))
