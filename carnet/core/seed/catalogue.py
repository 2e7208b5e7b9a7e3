"""The vocabulary of synthetic members: industries with their job titles, skills and fields of
study, cities, schools, degrees and the sentences profiles and posts are written with.

Each industry's titles go from junior to senior so that a career climbs the list. Titles and
sentences come in English and French (a member writes in one language); skill names are
shared, as on real profiles where "Python" is "Python" in both.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Industry:
    name: str  # English, as stored in Organization.industry / Profile.industry
    name_fr: str
    weight: float  # share of members working in it
    titles: tuple[tuple[str, str], ...]  # (en, fr), junior to senior
    skills: tuple[str, ...]
    fields: tuple[tuple[str, str], ...]  # fields of study (en, fr)


INDUSTRIES: tuple[Industry, ...] = (
    Industry(
        "Software",
        "Logiciel",
        0.16,
        (
            ("Junior Developer", "Développeuse junior"),
            ("Software Engineer", "Ingénieur logiciel"),
            ("Backend Developer", "Développeur backend"),
            ("Frontend Developer", "Développeuse front-end"),
            ("DevOps Engineer", "Ingénieur DevOps"),
            ("Data Engineer", "Ingénieure data"),
            ("Senior Software Engineer", "Ingénieur logiciel senior"),
            ("Tech Lead", "Tech lead"),
            ("Engineering Manager", "Responsable d'équipe de développement"),
            ("CTO", "Directrice technique"),
        ),
        (
            "Python",
            "Django",
            "JavaScript",
            "TypeScript",
            "React",
            "PostgreSQL",
            "Docker",
            "Kubernetes",
            "Linux",
            "Git",
            "Rust",
            "Go",
            "Java",
            "Amazon Web Services",
            "CI/CD",
            "Software architecture",
            "Agile methodologies",
            "Machine learning",
            "SQL",
            "Test-driven development",
        ),
        (
            ("Computer science", "Informatique"),
            ("Software engineering", "Génie logiciel"),
            ("Mathematics", "Mathématiques"),
        ),
    ),
    Industry(
        "Finance",
        "Banque et finance",
        0.09,
        (
            ("Financial Analyst", "Analyste financier"),
            ("Accountant", "Comptable"),
            ("Risk Analyst", "Analyste risques"),
            ("Auditor", "Auditrice"),
            ("Portfolio Manager", "Gérant de portefeuille"),
            ("Senior Financial Controller", "Contrôleuse de gestion senior"),
            ("Head of Compliance", "Responsable conformité"),
            ("Chief Financial Officer", "Directeur administratif et financier"),
        ),
        (
            "Financial analysis",
            "Accounting",
            "IFRS",
            "Risk management",
            "Excel",
            "Financial modelling",
            "Audit",
            "Compliance",
            "Corporate finance",
            "Budgeting",
            "Asset management",
            "Bloomberg Terminal",
            "Treasury",
            "Mergers & acquisitions",
            "VBA",
        ),
        (("Finance", "Finance"), ("Economics", "Économie"), ("Accounting", "Comptabilité")),
    ),
    Industry(
        "Healthcare",
        "Santé",
        0.09,
        (
            ("Nurse", "Infirmière"),
            ("Pharmacist", "Pharmacien"),
            ("Physiotherapist", "Kinésithérapeute"),
            ("Clinical Research Associate", "Attachée de recherche clinique"),
            ("General Practitioner", "Médecin généraliste"),
            ("Head Nurse", "Cadre de santé"),
            ("Hospital Director", "Directeur d'hôpital"),
        ),
        (
            "Patient care",
            "Clinical research",
            "Pharmacology",
            "Medical devices",
            "Public health",
            "Regulatory affairs",
            "Epidemiology",
            "Healthcare management",
            "Emergency medicine",
            "Good Clinical Practice",
            "Biostatistics",
            "Nutrition",
        ),
        (("Medicine", "Médecine"), ("Nursing", "Soins infirmiers"), ("Pharmacy", "Pharmacie"), ("Biology", "Biologie")),
    ),
    Industry(
        "Manufacturing",
        "Industrie",
        0.09,
        (
            ("Production Technician", "Technicien de production"),
            ("Quality Engineer", "Ingénieure qualité"),
            ("Process Engineer", "Ingénieur procédés"),
            ("Maintenance Manager", "Responsable maintenance"),
            ("Supply Chain Engineer", "Ingénieure supply chain"),
            ("Plant Manager", "Directeur d'usine"),
            ("Head of Operations", "Directrice des opérations"),
        ),
        (
            "Lean manufacturing",
            "Six Sigma",
            "Quality management",
            "ISO 9001",
            "AutoCAD",
            "SolidWorks",
            "Industrial maintenance",
            "Process improvement",
            "Production planning",
            "Automation",
            "PLC programming",
            "Health and safety",
            "Continuous improvement",
        ),
        (
            ("Mechanical engineering", "Génie mécanique"),
            ("Industrial engineering", "Génie industriel"),
            ("Chemistry", "Chimie"),
        ),
    ),
    Industry(
        "Retail",
        "Commerce et distribution",
        0.08,
        (
            ("Sales Associate", "Conseillère de vente"),
            ("Store Manager", "Responsable de magasin"),
            ("Buyer", "Acheteur"),
            ("E-commerce Manager", "Responsable e-commerce"),
            ("Category Manager", "Chef de produit"),
            ("Regional Director", "Directrice régionale"),
        ),
        (
            "Sales",
            "Merchandising",
            "Customer service",
            "E-commerce",
            "Negotiation",
            "Retail management",
            "Purchasing",
            "Inventory management",
            "Shopify",
            "Customer experience",
            "Team management",
        ),
        (("Business", "Commerce"), ("Marketing", "Marketing"), ("Management", "Management")),
    ),
    Industry(
        "Consulting",
        "Conseil",
        0.08,
        (
            ("Business Analyst", "Analyste métier"),
            ("Consultant", "Consultante"),
            ("Senior Consultant", "Consultant senior"),
            ("Project Manager", "Cheffe de projet"),
            ("Manager", "Manager"),
            ("Principal", "Directeur de mission"),
            ("Partner", "Associée"),
        ),
        (
            "Project management",
            "Strategy",
            "Change management",
            "Business analysis",
            "Stakeholder management",
            "PowerPoint",
            "Process mapping",
            "Digital transformation",
            "Data analysis",
            "Public speaking",
            "Scrum",
            "PRINCE2",
        ),
        (
            ("Management", "Management"),
            ("Business administration", "Gestion des entreprises"),
            ("Economics", "Économie"),
        ),
    ),
    Industry(
        "Education",
        "Enseignement et recherche",
        0.07,
        (
            ("Teaching Assistant", "Assistante d'enseignement"),
            ("Teacher", "Professeur"),
            ("Researcher", "Chercheuse"),
            ("Lecturer", "Maître de conférences"),
            ("Head of Department", "Responsable de département"),
            ("Professor", "Professeure des universités"),
        ),
        (
            "Teaching",
            "Curriculum design",
            "Research",
            "Academic writing",
            "E-learning",
            "Statistics",
            "Mentoring",
            "Grant writing",
            "Pedagogy",
            "LaTeX",
            "R",
        ),
        (
            ("Education sciences", "Sciences de l'éducation"),
            ("Physics", "Physique"),
            ("History", "Histoire"),
            ("Literature", "Lettres"),
        ),
    ),
    Industry(
        "Energy",
        "Énergie",
        0.05,
        (
            ("Field Technician", "Technicien terrain"),
            ("Energy Engineer", "Ingénieure énergie"),
            ("Project Engineer", "Ingénieur projet"),
            ("Grid Operations Manager", "Responsable exploitation réseau"),
            ("Head of Renewables", "Directrice des énergies renouvelables"),
        ),
        (
            "Renewable energy",
            "Solar energy",
            "Wind power",
            "Energy efficiency",
            "Electrical engineering",
            "Power systems",
            "Project finance",
            "Environmental impact assessment",
            "Energy storage",
            "HSE",
        ),
        (
            ("Electrical engineering", "Génie électrique"),
            ("Energy engineering", "Énergétique"),
            ("Environmental science", "Sciences de l'environnement"),
        ),
    ),
    Industry(
        "Marketing & Media",
        "Marketing et médias",
        0.08,
        (
            ("Marketing Assistant", "Assistante marketing"),
            ("Content Writer", "Rédacteur web"),
            ("Community Manager", "Community manager"),
            ("Digital Marketing Manager", "Responsable marketing digital"),
            ("Brand Manager", "Cheffe de marque"),
            ("Head of Communications", "Directeur de la communication"),
        ),
        (
            "Digital marketing",
            "SEO",
            "Content strategy",
            "Social media",
            "Copywriting",
            "Google Analytics",
            "Brand management",
            "Public relations",
            "Adobe Photoshop",
            "Video editing",
            "Market research",
            "Event management",
        ),
        (("Communication", "Communication"), ("Journalism", "Journalisme"), ("Marketing", "Marketing")),
    ),
    Industry(
        "Construction",
        "Construction et architecture",
        0.06,
        (
            ("Site Supervisor", "Conducteur de travaux"),
            ("Architect", "Architecte"),
            ("Structural Engineer", "Ingénieure structure"),
            ("Quantity Surveyor", "Économiste de la construction"),
            ("Project Director", "Directeur de projets"),
        ),
        (
            "Construction management",
            "BIM",
            "Revit",
            "AutoCAD",
            "Structural analysis",
            "Urban planning",
            "Cost estimation",
            "Building regulations",
            "Sustainable design",
            "Site management",
        ),
        (("Architecture", "Architecture"), ("Civil engineering", "Génie civil"), ("Urban planning", "Urbanisme")),
    ),
    Industry(
        "Transport & Logistics",
        "Transport et logistique",
        0.06,
        (
            ("Logistics Coordinator", "Coordinatrice logistique"),
            ("Warehouse Manager", "Responsable d'entrepôt"),
            ("Transport Planner", "Planificateur transport"),
            ("Supply Chain Manager", "Responsable supply chain"),
            ("Head of Logistics", "Directrice logistique"),
        ),
        (
            "Logistics",
            "Supply chain management",
            "Warehouse management",
            "Fleet management",
            "SAP",
            "Import/export",
            "Demand planning",
            "Procurement",
            "Lean logistics",
            "Transport management",
        ),
        (
            ("Logistics", "Logistique"),
            ("Supply chain", "Supply chain"),
            ("International trade", "Commerce international"),
        ),
    ),
    Industry(
        "Public Administration",
        "Administration publique",
        0.05,
        (
            ("Administrative Officer", "Adjointe administrative"),
            ("Policy Officer", "Chargé de mission"),
            ("Project Officer", "Chargée de projets"),
            ("Head of Unit", "Chef de service"),
            ("Director General", "Directrice générale des services"),
        ),
        (
            "Public policy",
            "Public procurement",
            "Administrative law",
            "Policy analysis",
            "European affairs",
            "Local government",
            "Budget management",
            "Stakeholder engagement",
            "Report writing",
        ),
        (
            ("Political science", "Science politique"),
            ("Public law", "Droit public"),
            ("Public administration", "Administration publique"),
        ),
    ),
    Industry(
        "Hospitality & Tourism",
        "Hôtellerie et tourisme",
        0.04,
        (
            ("Receptionist", "Réceptionniste"),
            ("Chef de Partie", "Chef de partie"),
            ("Travel Consultant", "Conseillère voyages"),
            ("Hotel Manager", "Directeur d'hôtel"),
            ("Head of Guest Experience", "Responsable expérience client"),
        ),
        (
            "Hospitality",
            "Customer service",
            "Revenue management",
            "Food safety",
            "Event planning",
            "Tourism",
            "Languages",
            "Opera PMS",
            "Team leadership",
        ),
        (
            ("Hospitality management", "Management hôtelier"),
            ("Tourism", "Tourisme"),
            ("Culinary arts", "Arts culinaires"),
        ),
    ),
    Industry(
        "Legal",
        "Droit",
        0.04,
        (
            ("Paralegal", "Juriste assistante"),
            ("Legal Counsel", "Juriste"),
            ("Associate Lawyer", "Avocat collaborateur"),
            ("Senior Legal Counsel", "Juriste senior"),
            ("General Counsel", "Directrice juridique"),
        ),
        (
            "Contract law",
            "Corporate law",
            "GDPR",
            "Employment law",
            "Litigation",
            "Intellectual property",
            "Legal research",
            "Negotiation",
            "Compliance",
            "Legal drafting",
        ),
        (("Law", "Droit"), ("Business law", "Droit des affaires"), ("International law", "Droit international")),
    ),
)

# Skills any professional may list, whatever the industry.
GENERIC_SKILLS: tuple[str, ...] = (
    "Leadership",
    "Communication",
    "Teamwork",
    "Problem solving",
    "English",
    "French",
    "Microsoft Office",
    "Time management",
    "Project management",
    "Negotiation",
    "Customer relationship management",
    "Training",
)

# (name, country, weight): where members live and companies are based.
CITIES: tuple[tuple[str, str, float], ...] = (
    ("Paris", "France", 14),
    ("Lyon", "France", 5),
    ("Marseille", "France", 3),
    ("Toulouse", "France", 3),
    ("Nantes", "France", 2.5),
    ("Bordeaux", "France", 2.5),
    ("Lille", "France", 2.5),
    ("Rennes", "France", 2),
    ("Strasbourg", "France", 2),
    ("Montpellier", "France", 2),
    ("Grenoble", "France", 1.5),
    ("Nice", "France", 1.5),
    ("Bruxelles", "Belgique", 2.5),
    ("Genève", "Suisse", 1.5),
    ("Lausanne", "Suisse", 1),
    ("Luxembourg", "Luxembourg", 1),
    ("Montréal", "Canada", 2.5),
    ("Québec", "Canada", 1),
    ("London", "United Kingdom", 6),
    ("Manchester", "United Kingdom", 1.5),
    ("Edinburgh", "United Kingdom", 1),
    ("Dublin", "Ireland", 1.5),
    ("New York", "United States", 5),
    ("San Francisco", "United States", 3),
    ("Boston", "United States", 2),
    ("Chicago", "United States", 2),
    ("Austin", "United States", 1.5),
    ("Seattle", "United States", 1.5),
    ("Toronto", "Canada", 2),
    ("Berlin", "Germany", 2),
    ("Amsterdam", "Netherlands", 1.5),
    ("Barcelona", "Spain", 1.5),
)
# Cities where French is the language most members write in.
FRENCH_COUNTRIES = frozenset({"France", "Belgique", "Suisse", "Luxembourg", "Canada"})

SCHOOL_PATTERNS_FR: tuple[str, ...] = (
    "Université de {city}",
    "École d'ingénieurs de {city}",
    "{city} École de Management",
    "Institut d'Études Politiques de {city}",
    "École Supérieure de Commerce de {city}",
    "École Nationale Supérieure de {city}",
    "IUT de {city}",
    "École des Beaux-Arts de {city}",
)
SCHOOL_PATTERNS_EN: tuple[str, ...] = (
    "University of {city}",
    "{city} Institute of Technology",
    "{city} Business School",
    "{city} School of Economics",
    "{city} College of Art and Design",
    "{city} State University",
)

# (en, fr, typical years of study)
DEGREES: tuple[tuple[str, str, int], ...] = (
    ("Bachelor's degree", "Licence", 3),
    ("Master's degree", "Master", 2),
    ("Engineering degree", "Diplôme d'ingénieur", 3),
    ("MBA", "MBA", 2),
    ("PhD", "Doctorat", 3),
    ("Associate degree", "BTS", 2),
    ("Professional bachelor's degree", "Licence professionnelle", 1),
)

LANGUAGES: tuple[str, ...] = ("English", "French", "Spanish", "German", "Italian", "Portuguese", "Arabic", "Mandarin")

EMAIL_DOMAINS: tuple[str, ...] = ("example.org", "example.com", "example.net")

# Sentences, one language each; {placeholders} filled from the member's career.
ABOUT_OPENINGS = {
    "en": (
        "{title} with {years} years of experience in {industry}.",
        "I have spent the last {years} years working in {industry}, currently as {title} at {company}.",
        "{title} at {company}, passionate about {skill1} and {skill2}.",
        "Curious and hands-on {title_lower}, {years} years into a career in {industry}.",
    ),
    "fr": (
        "{title} avec {years} ans d'expérience dans le secteur {industry}.",
        "Depuis {years} ans, je travaille dans le secteur {industry}, aujourd'hui comme {title_lower} chez {company}.",
        "{title} chez {company}, passionné·e par {skill1} et {skill2}.",
        "{title} curieux·se et concret·e, {years} ans de parcours dans le secteur {industry}.",
    ),
}
ABOUT_MIDDLES = {
    "en": (
        "My work focuses on {skill1}, {skill2} and {skill3}.",
        "Before {company}, I worked at {previous}, where I learned a lot about {skill2}.",
        "I like teams that ship often, measure what matters and write things down.",
        "I studied {field} at {school}.",
        "Most of my recent projects combined {skill1} with {skill3}.",
    ),
    "fr": (
        "Mon travail porte sur {skill1}, {skill2} et {skill3}.",
        "Avant {company}, j'ai travaillé chez {previous}, où j'ai beaucoup appris sur {skill2}.",
        "J'aime les équipes qui livrent souvent, mesurent ce qui compte et écrivent ce qu'elles décident.",
        "J'ai étudié {field} à {school}.",
        "Mes derniers projets associaient {skill1} et {skill3}.",
    ),
}
ABOUT_CLOSINGS = {
    "en": (
        "Happy to talk about {skill1} or {industry} — send me a message.",
        "Based in {city}, open to new collaborations.",
        "Always glad to help people starting out in {industry}.",
        "",
    ),
    "fr": (
        "Toujours partant·e pour échanger sur {skill1} ou le secteur {industry} : écrivez-moi.",
        "Basé·e à {city}, ouvert·e à de nouvelles collaborations.",
        "Toujours heureux·se d'aider celles et ceux qui débutent dans le secteur {industry}.",
        "",
    ),
}
HEADLINES = {
    "en": (
        "{title} at {company}",
        "{title} · {skill1} · {skill2}",
        "{title} | {industry}",
        "{title} at {company} | {skill1}",
    ),
    "fr": (
        "{title} chez {company}",
        "{title} · {skill1} · {skill2}",
        "{title} | {industry}",
        "{title} chez {company} | {skill1}",
    ),
}
POSTS = {
    "en": (
        "Happy to share that I'm starting a new position as {title} at {company}!",
        "Great session today with the team at {company} on {skill1}. What are your favourite resources to learn it?",
        "{company} is hiring in {city}: if you know someone good at {skill1}, let's talk.",
        "Five things I learned after {years} years in {industry}: listen first, write things down, ship small, "
        "ask for help, say thank you.",
        "Proud of what the team delivered this quarter. {skill2} made the difference.",
        "Looking forward to the {industry} meetup in {city} next week. Who else is going?",
        "Just finished a course on {skill3}. Highly recommended if you work in {industry}.",
        "Ten years ago I graduated from {school}. Thanks to everyone who helped along the way.",
    ),
    "fr": (
        "Ravi·e d'annoncer que je commence un nouveau poste de {title_lower} chez {company} !",
        "Belle séance de travail aujourd'hui avec l'équipe de {company} sur {skill1}. "
        "Vos ressources préférées pour progresser ?",
        "{company} recrute à {city} : si vous connaissez quelqu'un de solide en {skill1}, parlons-en.",
        "Cinq leçons après {years} ans dans le secteur {industry} : écouter, écrire, livrer petit, "
        "demander de l'aide, remercier.",
        "Fier·e de ce que l'équipe a livré ce trimestre. {skill2} a fait la différence.",
        "Rendez-vous au meetup {industry} de {city} la semaine prochaine. Qui d'autre y sera ?",
        "Je viens de terminer une formation sur {skill3}. "
        "Je la recommande à tous ceux qui travaillent dans le secteur {industry}.",
        "Il y a dix ans, je sortais de {school}. Merci à toutes celles et ceux qui m'ont aidé·e en chemin.",
    ),
}
POSITION_DESCRIPTIONS = {
    "en": (
        "Worked on {skill1} and {skill2} in a team of {team}.",
        "Led projects involving {skill1}; mentored {mentees} colleagues.",
        "Responsible for {skill2} across {team} sites.",
        "",
    ),
    "fr": (
        "Travail sur {skill1} et {skill2} au sein d'une équipe de {team} personnes.",
        "Pilotage de projets autour de {skill1} ; accompagnement de {mentees} collègues.",
        "Responsable de {skill2} sur {team} sites.",
        "",
    ),
}

# "{name} {suffix}": how companies of an industry tend to be called.
COMPANY_SUFFIXES: dict[str, tuple[str, ...]] = {
    "Software": ("Technologies", "Labs", "Software", "Numérique", "Data", "Systems", "Cloud"),
    "Finance": ("Capital", "Finance", "Gestion", "Partners", "Assurances", "Banque Privée"),
    "Healthcare": ("Santé", "Health", "Pharma", "Clinique", "Medical", "Biotech"),
    "Manufacturing": ("Industries", "Manufacturing", "Mécanique", "Composites", "Engineering"),
    "Retail": ("Distribution", "Retail", "Store", "Maison", "Market"),
    "Consulting": ("Conseil", "Consulting", "Partners", "Advisory", "Stratégie"),
    "Education": ("Formation", "Academy", "Learning", "Institut"),
    "Energy": ("Énergie", "Energy", "Solar", "Renouvelables", "Power"),
    "Marketing & Media": ("Media", "Communication", "Studio", "Agency", "Productions"),
    "Construction": ("Construction", "Bâtiment", "Architectes", "Ingénierie", "Build"),
    "Transport & Logistics": ("Logistique", "Logistics", "Transports", "Freight", "Express"),
    "Public Administration": (),
    "Hospitality & Tourism": ("Hôtels", "Voyages", "Hospitality", "Resorts", "Restauration"),
    "Legal": ("Avocats", "Legal", "& Associés", "Law"),
}
# Public bodies are named after their city rather than a founder.
PUBLIC_BODY_PATTERNS = {
    "fr": ("Ville de {city}", "Métropole de {city}", "Agence de développement de {city}", "Préfecture de {city}"),
    "en": ("City of {city}", "{city} City Council", "{city} Development Agency", "{city} Transit Authority"),
}
