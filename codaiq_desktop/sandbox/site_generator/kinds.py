"""What each kind of site says and shows: keywords that select it, its pages and copy.

Copy is written with ``{name}``, ``{topic}``, ``{place}`` and ``{audience}`` slots that the
brief fills in. Lists hold more items than a page uses; the prompt's hash picks which.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Offer:
    """A feature, service, product or ticket: title, one sentence, optional price."""

    title: str
    text: str
    price: str | None = None


@dataclass(frozen=True)
class SiteKind:
    """Everything that differs between kinds of site: keywords, palette hue, names and copy."""

    key: str
    label: str
    keywords: tuple[str, ...]
    hue: int
    default_topic: str
    name_patterns: tuple[str, ...]
    tagline: str
    hero_lead: str
    cta_primary: str
    cta_title: str
    about: tuple[str, ...]
    features_title: str
    features: tuple[Offer, ...]
    offers_page: tuple[str, str]  # (file stem, title): "services" or "pricing"
    offers_intro: str
    offers: tuple[Offer, ...]
    form_title: str
    form_message_label: str
    motif: str  # hero illustration: "chart", "plate", "frame", "house", "bag", "ticket", "page"


SAAS = SiteKind(
    key="saas",
    label="SaaS landing page",
    keywords=(
        "saas",
        "software",
        "app",
        "platform",
        "tool",
        "startup",
        "dashboard",
        "api",
        "cloud",
        "crm",
        "analytics",
        "automation",
        "subscription",
        "b2b",
        "integration",
        "workflow",
    ),
    hue=228,
    default_topic="team productivity",
    name_patterns=("{Topic}ly", "{Topic}Flow", "{Topic}Hub", "{Topic}Base", "{Topic}Pilot"),
    tagline="{topic_title}, without the busywork.",
    hero_lead="{name} brings your {topic} into one calm, fast workspace, so {audience} ship more and chase less.",
    cta_primary="Start free trial",
    cta_title="Ready to try {name}?",
    about=(
        "{name} started when a small team got tired of juggling spreadsheets, chat threads and status meetings just to keep {topic} on track.",
        "Today we build software for {audience} who want clarity without ceremony: fast, secure, and pleasant to use every day.",
    ),
    features_title="Everything your team needs",
    features=(
        Offer("Plan in minutes", "Turn ideas into clear plans with templates, owners and due dates."),
        Offer("Real-time collaboration", "Comment, assign and update together; everyone sees changes instantly."),
        Offer("Insightful dashboards", "Spot bottlenecks early with live charts of progress and workload."),
        Offer("Automations", "Let routine hand-offs, reminders and status updates run themselves."),
        Offer("Integrations", "Connect the tools you already use: calendars, chat, storage and more."),
        Offer("Enterprise-grade security", "Single sign-on, audit logs and encryption at rest and in transit."),
    ),
    offers_page=("pricing", "Pricing"),
    offers_intro="Simple plans that grow with you. Every plan starts with a 14-day free trial.",
    offers=(
        Offer("Starter", "For small teams getting organised. Up to 5 members, unlimited projects.", "£9 / month"),
        Offer("Team", "For growing teams. Automations, dashboards and priority support.", "£29 / month"),
        Offer("Business", "For organisations. SSO, audit logs and a dedicated success manager.", "£79 / month"),
    ),
    form_title="Book a demo",
    form_message_label="What would you like to see?",
    motif="chart",
)

RESTAURANT = SiteKind(
    key="restaurant",
    label="Restaurant or café",
    keywords=(
        "restaurant",
        "cafe",
        "café",
        "bistro",
        "bakery",
        "pizza",
        "pizzeria",
        "bar",
        "coffee",
        "diner",
        "food",
        "menu",
        "kitchen",
        "sushi",
        "brunch",
        "trattoria",
        "tapas",
        "brewery",
        "catering",
        "vegan",
    ),
    hue=14,
    default_topic="seasonal food",
    name_patterns=("The {Adjective} {Dish}", "{Topics} Kitchen", "{Place} {Topic} House", "Little {Dish}"),
    tagline="{topic_title} made with care{in_place}.",
    hero_lead="Fresh ingredients, honest cooking and a warm welcome. Join us at {name} for {topic} you will want to come back for.",
    cta_primary="Book a table",
    cta_title="Hungry yet?",
    about=(
        "{name} is a neighbourhood favourite{in_place}, built around {topic} and the people who love it.",
        "We work with local growers and suppliers, cook everything from scratch and change the menu with the seasons.",
    ),
    features_title="Why guests keep coming back",
    features=(
        Offer("Seasonal menu", "Dishes that follow the market, changed every few weeks."),
        Offer("Local suppliers", "Produce, meat and bread from producers we know by name."),
        Offer("Private dining", "A cosy room for birthdays, team dinners and celebrations."),
        Offer("Takeaway", "Order ahead and pick up your favourites on the way home."),
        Offer("Dietary needs", "Vegetarian, vegan and gluten-free options on every menu."),
        Offer("Warm service", "A friendly team that remembers your usual."),
    ),
    offers_page=("services", "Menu & catering"),
    offers_intro="A taste of what is on the pass this season. Ask us about catering for your event.",
    offers=(
        Offer("Brunch plates", "Served until 2 pm at weekends, with bottomless coffee.", "from £9"),
        Offer("Dinner menu", "Small plates to share and generous mains.", "from £14"),
        Offer("Catering", "Platters and buffets for offices, parties and weddings.", "on request"),
    ),
    form_title="Reserve or enquire",
    form_message_label="Date, time and number of guests",
    motif="plate",
)

AGENCY = SiteKind(
    key="agency",
    label="Agency or portfolio",
    keywords=(
        "agency",
        "studio",
        "portfolio",
        "design",
        "designer",
        "photographer",
        "photography",
        "creative",
        "branding",
        "freelance",
        "freelancer",
        "architect",
        "illustrator",
        "marketing",
        "consultancy",
        "developer",
        "videographer",
    ),
    hue=275,
    default_topic="brand and digital design",
    name_patterns=("{Topics} Studio", "Studio {Adjective}", "{Adjective} & Co.", "{Topics} Collective"),
    tagline="{topic_title} that people remember.",
    hero_lead="{name} is an independent studio{in_place} crafting {topic} for ambitious brands and the {audience} behind them.",
    cta_primary="Start a project",
    cta_title="Have a project in mind?",
    about=(
        "{name} is a small, senior team. No hand-offs to juniors: the people you meet are the people who do the work.",
        "We have partnered with start-ups, charities and household names on {topic}, from first sketch to launch.",
    ),
    features_title="What we do",
    features=(
        Offer("Strategy", "Research and positioning that give every decision a reason."),
        Offer("Brand identity", "Names, logos and systems that scale from favicon to billboard."),
        Offer("Web design", "Fast, accessible websites that convert visitors into clients."),
        Offer("Content", "Photography, copy and motion that tell your story."),
        Offer("Campaigns", "Launches and campaigns measured by results, not impressions."),
        Offer("Ongoing support", "A retained team that keeps your brand sharp."),
    ),
    offers_page=("services", "Services"),
    offers_intro="Engagements shaped around your goals, from a focused sprint to a long-term partnership.",
    offers=(
        Offer("Brand sprint", "Two weeks from workshop to a ready-to-use identity.", "from £4,500"),
        Offer("Website", "Design and build of a fast, accessible marketing site.", "from £8,000"),
        Offer("Retainer", "A dedicated team, a few days every month.", "from £2,500 / month"),
    ),
    form_title="Tell us about your project",
    form_message_label="Your project, timeline and budget",
    motif="frame",
)

LOCAL_SERVICE = SiteKind(
    key="local_service",
    label="Local service business",
    keywords=(
        "plumber",
        "plumbing",
        "electrician",
        "cleaning",
        "cleaner",
        "gardener",
        "gardening",
        "landscaping",
        "roofing",
        "roofer",
        "repair",
        "repairs",
        "handyman",
        "dentist",
        "dental",
        "clinic",
        "salon",
        "barber",
        "mechanic",
        "garage",
        "locksmith",
        "lawyer",
        "solicitor",
        "accountant",
        "physio",
        "therapist",
        "tutor",
        "tutoring",
        "vet",
        "builder",
        "decorator",
        "removals",
        "yoga",
        "fitness",
        "gym",
        "trainer",
    ),
    hue=200,
    default_topic="home services",
    name_patterns=("{Place} {Topics} Co.", "{Adjective} {Topics}", "{Topics} Pros", "{Place} {Topics}"),
    tagline="Trusted {topic}{in_place}.",
    hero_lead="Reliable, friendly and fully insured. {name} looks after {audience}{in_place} with {topic} done right the first time.",
    cta_primary="Get a free quote",
    cta_title="Need a hand?",
    about=(
        "{name} is a local, family-run business serving {audience}{in_place} for over ten years.",
        "We turn up on time, explain everything clearly and leave the place tidier than we found it.",
    ),
    features_title="Why choose us",
    features=(
        Offer("Fast response", "Same-day appointments for urgent jobs."),
        Offer("Fixed prices", "A clear quote before we start; no surprises on the bill."),
        Offer("Qualified team", "Certified, insured and background-checked."),
        Offer("Guaranteed work", "Every job is covered by our 12-month guarantee."),
        Offer("Friendly service", "Five-star reviews from hundreds of local customers."),
        Offer("Flexible hours", "Evening and weekend slots that fit your schedule."),
    ),
    offers_page=("services", "Services"),
    offers_intro="Whatever the job, big or small, we are here to help.",
    offers=(
        Offer("Call-out visit", "Diagnosis and small fixes within the first hour.", "from £60"),
        Offer("Planned work", "Scheduled jobs with a fixed, written quote.", "quote on request"),
        Offer("Maintenance plan", "Regular check-ups that prevent costly problems.", "from £15 / month"),
    ),
    form_title="Request a free quote",
    form_message_label="What do you need help with?",
    motif="house",
)

SHOP = SiteKind(
    key="shop",
    label="Online shop",
    keywords=(
        "shop",
        "store",
        "boutique",
        "ecommerce",
        "e-commerce",
        "sell",
        "selling",
        "products",
        "jewelry",
        "jewellery",
        "fashion",
        "clothing",
        "candles",
        "gifts",
        "handmade",
        "ceramics",
        "skincare",
        "merch",
        "retail",
        "marketplace",
    ),
    hue=330,
    default_topic="handmade goods",
    name_patterns=("{Adjective} & {Dish}", "The {Topic} Shop", "{Topic} Supply Co.", "{Adjective} {Topics}"),
    tagline="Thoughtfully made {topic}, delivered to your door.",
    hero_lead="Discover {topic} from {name}: small-batch, sustainably sourced and made to be loved for years.",
    cta_primary="Shop the collection",
    cta_title="Find something you love",
    about=(
        "{name} began at a kitchen table{in_place} with a simple idea: {topic} should be beautiful, useful and kind to the planet.",
        "Every piece is made in small batches, packed plastic-free and shipped with care.",
    ),
    features_title="Why shop with us",
    features=(
        Offer("Free delivery", "On every order over £40, with tracked shipping."),
        Offer("Easy returns", "Changed your mind? Return within 30 days, no questions asked."),
        Offer("Sustainably made", "Responsibly sourced materials and recyclable packaging."),
        Offer("Gift wrapping", "Add a handwritten note and wrapping at checkout."),
        Offer("Secure checkout", "Pay safely with card, wallet or bank transfer."),
        Offer("Loyalty rewards", "Earn points on every order and get early access to drops."),
    ),
    offers_page=("pricing", "Collections & prices"),
    offers_intro="Browse our best-loved collections. New pieces arrive every month.",
    offers=(
        Offer("Everyday essentials", "The pieces our customers reorder again and again.", "from £12"),
        Offer("Limited editions", "Small runs, once they are gone, they are gone.", "from £35"),
        Offer("Gift boxes", "Curated sets, wrapped and ready to give.", "from £45"),
    ),
    form_title="Questions about an order?",
    form_message_label="Your question or order number",
    motif="bag",
)

EVENT = SiteKind(
    key="event",
    label="Event or conference",
    keywords=(
        "event",
        "conference",
        "festival",
        "wedding",
        "summit",
        "meetup",
        "concert",
        "workshop",
        "hackathon",
        "expo",
        "gala",
        "retreat",
        "webinar",
        "tournament",
        "launch party",
        "fair",
    ),
    hue=160,
    default_topic="ideas and community",
    name_patterns=("{Topics} Summit", "{Topic}Conf", "{Place} {Topics} Festival", "{Topics} Live"),
    tagline="Two days of {topic}{in_place}.",
    hero_lead="Join {audience} at {name} for talks, workshops and conversations about {topic}. Seats are limited.",
    cta_primary="Get your ticket",
    cta_title="Don't miss {name}",
    about=(
        "{name} brings together {audience} who care about {topic}, for two days of learning and connection{in_place}.",
        "Expect practical talks, hands-on workshops and plenty of time to meet people who share your interests.",
    ),
    features_title="What to expect",
    features=(
        Offer("Inspiring speakers", "Practitioners sharing what actually worked, and what didn't."),
        Offer("Hands-on workshops", "Small-group sessions where you build, not just listen."),
        Offer("Networking", "Breakfasts, breaks and an evening social built for real conversations."),
        Offer("Accessible venue", "Step-free access, quiet room, live captions on every talk."),
        Offer("Great food", "Local catering with options for every diet."),
        Offer("Recordings", "Every talk recorded and shared with ticket holders."),
    ),
    offers_page=("pricing", "Tickets"),
    offers_intro="Early-bird prices end soon. Group discounts available for teams of five or more.",
    offers=(
        Offer("Early bird", "Full access to both days, talks and workshops.", "£149"),
        Offer("Standard", "Full access to both days, talks and workshops.", "£199"),
        Offer("Supporter", "Everything, plus the speakers' dinner and a thank-you gift.", "£349"),
    ),
    form_title="Register your interest",
    form_message_label="Anything we should know? (access needs, dietary requirements)",
    motif="ticket",
)

BLOG = SiteKind(
    key="blog",
    label="Blog or publication",
    keywords=(
        "blog",
        "journal",
        "magazine",
        "newsletter",
        "writer",
        "articles",
        "podcast",
        "recipes",
        "diary",
        "column",
        "essays",
        "publication",
        "news",
        "stories",
        "author",
    ),
    hue=38,
    default_topic="good ideas",
    name_patterns=("The {Topics} Journal", "{Topics} Notes", "{Adjective} {Topics}", "The {Topic} Letter"),
    tagline="Honest writing about {topic}.",
    hero_lead="{name} is an independent publication about {topic}: thoughtful essays, practical guides and the occasional rant.",
    cta_primary="Subscribe",
    cta_title="Get the next issue",
    about=(
        "{name} is written for curious {audience} who want depth, not hot takes, on {topic}.",
        "New pieces arrive every week. No paywall, no tracking pixels, just writing.",
    ),
    features_title="Latest stories",
    features=(
        Offer("Getting started", "A friendly introduction for anyone new to {topic}."),
        Offer("Ten lessons from a year of writing", "What we learned, and what we would do differently."),
        Offer("The tools we use", "An honest look at the kit behind every issue."),
        Offer("Reader questions, answered", "Your best questions from this month's inbox."),
        Offer("A field guide", "Everything we know, in one place, updated regularly."),
        Offer("Interviews", "Conversations with people doing interesting work in {topic}."),
    ),
    offers_page=("services", "Work with us"),
    offers_intro="Support the publication, or reach our readers with work that fits.",
    offers=(
        Offer("Membership", "Support independent writing and join the members' discussions.", "£5 / month"),
        Offer("Sponsorship", "One clearly labelled sponsor per issue.", "from £250"),
        Offer("Workshops", "Talks and workshops for teams and schools.", "on request"),
    ),
    form_title="Write to us",
    form_message_label="Your message, pitch or question",
    motif="page",
)

KINDS: tuple[SiteKind, ...] = (SAAS, RESTAURANT, AGENCY, LOCAL_SERVICE, SHOP, EVENT, BLOG)
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}
DEFAULT_KIND = LOCAL_SERVICE

ADJECTIVES = (
    "Golden",
    "Bright",
    "Little",
    "Blue",
    "Bold",
    "True",
    "Honest",
    "Northern",
    "Wild",
    "Clever",
    "Kind",
    "Open",
)
DISHES = (
    "Spoon",
    "Table",
    "Oak",
    "Lantern",
    "Fig",
    "Olive",
    "Harbour",
    "Orchard",
    "Hearth",
    "Thread",
    "Loaf",
    "Anchor",
)
TESTIMONIAL_PEOPLE = (
    ("Amara Okafor", "Operations lead"),
    ("James Whitfield", "Founder"),
    ("Priya Raman", "Head of marketing"),
    ("Tom Becker", "Regular customer"),
    ("Sofia Marquez", "Event organiser"),
    ("Liam O'Connor", "Small business owner"),
    ("Hannah Schmidt", "Product manager"),
    ("Kenji Watanabe", "Designer"),
)
TESTIMONIAL_QUOTES = (
    "{name} made a real difference from week one. I only wish we had found them sooner.",
    "Professional, friendly and genuinely great at what they do. Highly recommended.",
    "Everything about {name} feels considered. It shows in the results.",
    "We tried the alternatives. {name} is the one we kept.",
    "Clear communication, fair prices and excellent quality. Five stars.",
)
