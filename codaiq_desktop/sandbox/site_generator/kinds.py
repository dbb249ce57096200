"""What each kind of site says and shows: the words that select it, its sections, its copy.

Copy is written as alternatives with named slots (``{name}``, ``{offering}``, ``{place}``,
``{in_place}``, ``{years}``, ``{founder}``, ``{cta}``); a template is only used when every
slot it names has a value, so a missing fact never leaves a hole, and each slot is filled
only with the kind of phrase it was written for (``{offering}`` is always a noun phrase from
this kind's own lexicon, never a random word of the prompt). The prompt's hash picks among
the alternatives, so sites of one kind do not share their sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, field

T = tuple[str, ...]


@dataclass(frozen=True)
class Item:
    """One dish, treatment, room, product, class, listing ...: a price in pounds is scaled to local money."""

    title: str
    text: str
    price: float | None = None
    unit: str = ""  # " / night", " / month", " per person"
    meta: str = ""  # "45 min", "3 bed · 2 bath", "Tue & Thu 18:30"


@dataclass(frozen=True)
class FormField:
    """A question the lead form asks besides name, email, phone and message."""

    key: str  # sent as detail_<key>; folded into the lead's message as "<Label>: value"
    label: str
    type: str = "text"  # text, date, time, number, select
    options: T = ()
    autocomplete: str = "off"


@dataclass(frozen=True)
class SiteKind:
    """Everything that differs between kinds of site."""

    key: str
    keywords: dict[str, int]  # word or phrase -> weight (3: names the business, 1: hints at it)
    hue: int
    noun: str  # what the business is, for the eyebrow when the prompt does not say: "restaurant"
    offerings: dict[str, str]  # prompt word -> the offering as this kind's copy uses it
    default_offering: str | None
    name_patterns: T  # {Place} {Offering} {Word} {Surname} {First}
    name_words: T
    headlines: T
    leads: T
    story: tuple[T, ...]  # about-page paragraphs, each a set of alternatives
    features_title: T
    features: tuple[tuple[str, T], ...]  # (title, alternatives of its sentence)
    section: str  # the kind's own section: menu, gallery, cases, timetable, pricing, products ...
    section_title: T
    items: tuple[Item, ...]
    page: tuple[str, str]  # (file stem, navigation label)
    page_intro: T
    cta: str
    cta_titles: T
    cta_texts: T
    form_title: T
    fields: tuple[FormField, ...]
    message_label: str
    quotes: T
    roles: T
    motif: str
    extras: T = ()  # further sections: hours, faq, steps, stats, areas, speakers, schedule, team
    faq: tuple[tuple[str, str], ...] = ()
    steps: tuple[tuple[str, str], ...] = ()
    stats: tuple[tuple[str, str], ...] = ()  # (number template, label)
    items_by_offering: dict[str, tuple[Item, ...]] = field(default_factory=dict)
    ctas: dict[str, str] = field(default_factory=dict)  # call-to-action word in the prompt -> label


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

RESTAURANT = SiteKind(
    key="restaurant",
    keywords={
        "restaurant": 3, "cafe": 3, "café": 3, "bistro": 3, "bakery": 3, "pizzeria": 3, "trattoria": 3,
        "bar": 2, "pub": 3, "diner": 3, "brasserie": 3, "eatery": 3, "coffee shop": 4, "tea room": 4,
        "tearoom": 3, "canteen": 2, "food truck": 4, "takeaway": 3, "brewery": 2, "wine bar": 4, "patisserie": 3,
        "ramen": 2, "sushi": 2, "pizza": 2, "tapas": 2, "brunch": 2, "coffee": 1, "food": 1, "menu": 1,
        "cocktail": 2, "cocktails": 2, "steakhouse": 3, "noodle": 2, "curry house": 4, "restaurante": 3,
        "ristorante": 3, "boulangerie": 3, "gelato": 2, "ice cream": 2,
    },
    hue=14,
    noun="restaurant",
    offerings={
        "italian": "Italian cooking", "pizza": "wood-fired pizza", "pizzeria": "wood-fired pizza",
        "trattoria": "Italian cooking", "pasta": "fresh pasta", "sushi": "sushi", "japanese": "Japanese cooking",
        "ramen": "ramen", "thai": "Thai cooking", "indian": "Indian cooking", "curry": "slow-cooked curries",
        "mexican": "Mexican food", "tacos": "tacos", "french": "French cooking", "bistro": "bistro classics",
        "greek": "Greek food", "lebanese": "Lebanese food", "spanish": "Spanish food", "tapas": "tapas",
        "vietnamese": "Vietnamese food", "korean": "Korean food", "chinese": "Chinese cooking",
        "turkish": "Turkish food", "portuguese": "Portuguese cooking", "vegan": "plant-based cooking",
        "vegetarian": "vegetarian cooking", "seafood": "seafood", "fish": "fresh fish", "steak": "steak",
        "steakhouse": "steak", "burger": "burgers", "burgers": "burgers", "bakery": "bread and pastries",
        "boulangerie": "bread and pastries", "patisserie": "pastries", "cake": "cakes", "cakes": "cakes",
        "brunch": "brunch", "coffee": "coffee", "tea": "tea and cake", "cocktail": "cocktails",
        "cocktails": "cocktails", "wine": "wine", "beer": "craft beer", "brewery": "craft beer",
        "gelato": "gelato", "noodle": "noodles", "dim sum": "dim sum", "bbq": "barbecue",
        "barbecue": "barbecue", "caribbean": "Caribbean food", "ethiopian": "Ethiopian food",
    },
    default_offering=None,
    name_patterns=("The {Word} {Word2}", "{Surname}'s", "{Word} & {Word2}", "{Place} {Word} Kitchen", "Little {Word}"),
    name_words=("Copper", "Fig", "Olive", "Lantern", "Hearth", "Saffron", "Juniper", "Ember", "Larder", "Orchard",
                "Salt", "Anchor", "Crumb", "Quince", "Pepper", "Thyme"),
    headlines=(
        "{Offering}, made from scratch{in_place}",
        "{Offering} worth the trip across {place}",
        "Pull up a chair at {name}",
        "Good food and a warm welcome{in_place}",
        "{Offering} and a table waiting for you",
        "Where {place} comes to eat",
        "Cooked slowly, served with a smile",
    ),
    leads=(
        "{name} serves {offering} from a small, busy kitchen{in_place}: seasonal, generous and never rushed.",
        "Everything on the menu at {name} is cooked in-house, from the stocks to the sauces, with produce from people we know.",
        "Drop in for lunch, stay for dinner: {name} is the kind of place{in_place} where the staff learn your order.",
        "At {name} the menu follows the market, so there is always something new next to the dishes regulars ask for.",
    ),
    story=(
        (
            "{founder} opened {name} {years} years ago with a borrowed oven and a handful of recipes from home.",
            "The first service at {name} was for friends and family; {years} years later, some of them still have the same table.",
            "{name} began as a weekend pop-up run by {founder} before it found a permanent home{in_place}.",
        ),
        (
            "{name} buys from growers, butchers and bakers close by, and the menu changes when their harvest does.",
            "At {name}, bread is baked every morning, sauces simmer all afternoon, and nothing arrives in a packet.",
            "The suppliers behind {name} are small and local; when something runs out, it comes off the board.",
        ),
    ),
    features_title=("Why guests come back", "What to expect at {name}", "Why people love {name}"),
    features=(
        ("Seasonal menu", ("Dishes follow the market and change every few weeks.", "The board changes with the seasons, so there is always something new.", "A short menu that changes whenever the market does.")),
        ("Made in-house", ("Stocks, sauces, bread and desserts are all made here.", "The kitchen makes everything itself, down to the pickles.", "From bread to ice cream, nothing is bought in.")),
        ("Private dining", ("A room for birthdays, team dinners and quiet celebrations.", "Book the back room for up to twenty guests.", "Birthdays and team dinners, in a room of your own.")),
        ("Takeaway", ("Order ahead and collect on your way home.", "Most of the menu travels well: call ahead and collect.", "Ring before six and your order is ready when you arrive.")),
        ("Every diet welcome", ("Vegetarian, vegan and gluten-free dishes on every menu.", "Tell us what you cannot eat and the kitchen will cook around it.", "Allergies are taken seriously, and so is flavour.")),
        ("Local suppliers", ("Produce from farms we visit ourselves.", "We know our suppliers by name, and so will you.", "Meat, veg and cheese from within a short drive{in_place}.")),
        ("Good drinks", ("Natural wines, local beers and proper coffee.", "A short wine list chosen to go with the food.", "Cocktails, low-alcohol options and good coffee.")),
    ),
    section="menu",
    section_title=("On the menu", "This week's menu", "From the kitchen"),
    items=(
        Item("Soup of the day", "With this morning's bread.", 6.5),
        Item("Seasonal salad", "Roasted roots, seeds, sharp dressing.", 8),
        Item("Slow-roast chicken", "Crisp potatoes, proper gravy.", 16),
        Item("Market fish", "Today's catch, simply grilled.", 18),
        Item("Mushroom risotto", "Wild mushrooms, aged cheese, thyme.", 14),
        Item("Sticky toffee pudding", "With clotted cream.", 7),
    ),
    items_by_offering={
        "Italian cooking": (
            Item("Burrata", "Cream-filled mozzarella, heritage tomatoes and basil oil.", 9.5),
            Item("Tagliatelle al ragù", "Hand-cut pasta and a ragù cooked for six hours.", 15),
            Item("Margherita", "San Marzano tomatoes, fior di latte, basil, from the wood oven.", 11),
            Item("Saltimbocca", "Veal, prosciutto and sage, with roast potatoes.", 19),
            Item("Tiramisù", "Made every morning to Nonna's recipe.", 7),
            Item("Affogato", "Vanilla gelato drowned in a shot of espresso.", 5),
        ),
        "wood-fired pizza": (
            Item("Margherita", "Tomato, fior di latte and basil, blistered in the wood oven.", 10),
            Item("Diavola", "Spicy salami, chilli honey and smoked mozzarella.", 13),
            Item("Funghi", "Roasted mushrooms, garlic, thyme and taleggio.", 12.5),
            Item("Marinara", "Tomato, garlic, oregano and olive oil; vegan as it comes.", 9),
            Item("Garlic bread", "Dough from the oven with garlic butter and parsley.", 5),
            Item("Nutella calzone", "For two, with a scoop of vanilla gelato.", 8),
        ),
        "sushi": (
            Item("Salmon nigiri", "Two pieces, brushed with soy and a little yuzu.", 6),
            Item("Tuna maki", "Six pieces of rolled tuna and cucumber.", 7),
            Item("Omakase set", "Twelve pieces chosen by the chef.", 32),
            Item("Miso soup", "White miso, tofu, wakame and spring onion.", 4),
            Item("Edamame", "Steamed and salted, with chilli if you like.", 4.5),
            Item("Mochi ice cream", "Three flavours: matcha, black sesame and mango.", 6),
        ),
        "bread and pastries": (
            Item("Sourdough loaf", "Long-fermented, baked dark, sliced to order.", 4.5),
            Item("Croissant", "All-butter, laminated over three days.", 2.8),
            Item("Cinnamon bun", "Cardamom dough, cinnamon butter and a sticky glaze.", 3.2),
            Item("Seasonal tart", "Fruit from the market on crisp pastry.", 4),
            Item("Focaccia slice", "Olive oil, rosemary and sea salt.", 3),
            Item("Celebration cakes", "Made to order; give us three days' notice.", 35),
        ),
        "coffee": (
            Item("Flat white", "Our house espresso with silky milk.", 3.2),
            Item("Filter of the week", "A rotating single origin, brewed to order.", 3.5),
            Item("Avocado toast", "Sourdough, chilli, lime and a poached egg.", 8.5),
            Item("Banana bread", "Toasted, with whipped butter.", 3.8),
            Item("Granola bowl", "House granola, yoghurt and seasonal fruit.", 6.5),
            Item("Chai latte", "Spiced in-house, never from a syrup.", 3.6),
        ),
        "cocktails": (
            Item("House negroni", "Gin, bitter, sweet vermouth, aged in the barrel.", 10),
            Item("Espresso martini", "Vodka, fresh espresso and coffee liqueur.", 10.5),
            Item("Garden spritz", "Elderflower, cucumber and sparkling wine.", 9),
            Item("Zero-proof sour", "Non-alcoholic spirit, lemon and aquafaba.", 7),
            Item("Bar snacks", "Olives, smoked almonds and crisps made here.", 5),
            Item("Cheese board", "Three cheeses, crackers and chutney.", 12),
        ),
        "Indian cooking": (
            Item("Onion bhaji", "Crisp, light and served with tamarind chutney.", 5.5),
            Item("Chicken tikka", "Marinated overnight and charred in the tandoor.", 8),
            Item("Lamb rogan josh", "Kashmiri chilli, slow-cooked until it falls apart.", 15),
            Item("Dal makhani", "Black lentils simmered overnight with butter.", 10),
            Item("Garlic naan", "From the tandoor, brushed with ghee.", 3.5),
            Item("Gulab jamun", "Warm, syrupy and spiced with cardamom.", 5),
        ),
    },
    page=("menu", "Menu"),
    page_intro=(
        "A taste of what is cooking at {name} this season; ask about today's specials.",
        "The menu at {name} changes with the market; tell us about allergies when you book.",
        "What {name} is cooking right now, with prices; specials are on the board.",
    ),
    cta="Book a table",
    cta_titles=("Hungry yet?", "Save your seat at {name}", "See you at the table"),
    cta_texts=(
        "Tables at {name} go quickly at weekends; book ahead and we will keep yours warm.",
        "Walk-ins are welcome at {name}, but a booking means we can look after you properly.",
        "Tell us the date and how many are coming, and {name} will do the rest.",
    ),
    form_title=("Book a table", "Reserve your table"),
    fields=(
        FormField("date", "Date", "date"),
        FormField("time", "Time", "time"),
        FormField("party_size", "Party size", "select", ("1", "2", "3", "4", "5", "6", "7", "8", "9+")),
    ),
    message_label="Anything we should know? (allergies, occasions, high chair)",
    quotes=(
        "I still think about the {offering} at {name}.",
        "We came to {name} for a birthday and stayed until closing.",
        "Proper food, fair prices and a team at {name} that clearly loves what they do.",
        "I have eaten my way through the whole menu at {name}; the specials are always worth asking about.",
        "Our favourite spot{in_place} for a long lunch with friends.",
        "Booked a table for eight at short notice and they could not have been kinder.",
        "Every dish at {name} tastes like someone cared about it, because someone did.",
        "We walk past three other places to eat at {name}.",
    ),
    roles=("Regular since {since_guest}", "Local food writer", "Celebrated a birthday here", "Weekend regular", "First visit, not the last"),
    motif="plate",
    extras=("hours",),
    ctas={"book": "Book a table", "booking": "Book a table", "reservation": "Reserve a table", "order": "Order online", "takeaway": "Order a takeaway", "delivery": "Order for delivery"},
)

TRADES = SiteKind(
    key="trades",
    keywords={
        "plumber": 3, "plumbing": 3, "electrician": 3, "electrical": 2, "roofer": 3, "roofing": 3, "builder": 3,
        "builders": 3, "handyman": 3, "locksmith": 3, "cleaner": 3, "cleaning": 3, "gardener": 3, "gardening": 2,
        "landscaping": 3, "landscaper": 3, "decorator": 3, "painter": 2, "carpenter": 3, "joiner": 3,
        "removals": 3, "removal": 2, "mechanic": 3, "garage": 2, "repair shop": 4, "repairs": 2, "repair": 2,
        "heating": 2, "boiler": 2, "tiler": 3, "plasterer": 3, "glazier": 3, "window cleaner": 4,
        "pest control": 4, "tree surgeon": 4, "bike repair": 4, "drainage": 2, "scaffolding": 3, "fencing": 2,
    },
    hue=200,
    noun="local trade",
    offerings={
        "plumber": "plumbing", "plumbing": "plumbing", "electrician": "electrical work", "electrical": "electrical work",
        "roofer": "roofing", "roofing": "roofing", "builder": "building work", "builders": "building work",
        "handyman": "home repairs", "locksmith": "lock repairs", "cleaner": "cleaning", "cleaning": "cleaning",
        "gardener": "gardening", "gardening": "gardening", "landscaping": "landscaping", "landscaper": "landscaping",
        "decorator": "painting and decorating", "painter": "painting and decorating", "carpenter": "carpentry",
        "joiner": "joinery", "removals": "removals", "mechanic": "car repairs", "garage": "car repairs",
        "heating": "heating repairs", "boiler": "boiler repairs", "tiler": "tiling", "plasterer": "plastering",
        "glazier": "glazing", "pest control": "pest control", "tree surgeon": "tree surgery",
        "bike repair": "bike repairs", "drainage": "drain clearing", "fencing": "fencing", "scaffolding": "scaffolding",
        "window cleaner": "window cleaning",
    },
    default_offering="home repairs",
    name_patterns=("{Surname} & Sons", "{Place} {Offering}", "{Word} {Offering}", "{First}'s {Offering}", "{Surname} {Offering}"),
    name_words=("Reliable", "Northside", "Keystone", "Bluewater", "Oakline", "Fairway", "Steadfast", "Cornerstone", "Brightwell", "Tidy"),
    headlines=(
        "{Offering} you can rely on{in_place}",
        "{Offering} done properly, first time",
        "Local {offering}, fair prices, no mess",
        "Call {name} and consider it fixed",
        "The {place} {offering} team neighbours recommend",
    ),
    leads=(
        "{name} has looked after homes and businesses{in_place} for {years} years: clear quotes, tidy work and a guarantee on every job.",
        "From small fixes to bigger projects, {name} turns up when we say we will and explains the job before we start.",
        "Need {offering}? {name} gives you a written, fixed price first, so the bill never comes as a surprise.",
    ),
    story=(
        (
            "{founder} started {name} {years} years ago with one van and a phone that never stopped ringing.",
            "{name} is a {team_size}-person team led by {founder}, who still quotes most jobs in person.",
            "{years} years in, {name} is still run the way {founder} started it: answer the phone, turn up, do it right.",
        ),
        (
            "We are fully qualified and insured, and we clean up before we leave.",
            "Every job comes with a written quote and a 12-month guarantee on our work.",
            "We would rather fix what you have than sell you something new, and we will tell you honestly which it is.",
        ),
    ),
    features_title=("Why people call {name}", "How we work", "What you can count on"),
    features=(
        ("Fixed quotes", ("A written price before we start; no surprises on the bill.", "You approve the price first, and that is the price you pay.", "The quote is the bill, unless you ask for more.")),
        ("On time", ("We give you an arrival window and keep to it.", "If we are running late, you hear it from us first.")),
        ("Qualified and insured", ("Certified for the work we do and insured for your peace of mind.", "Our team is trained, certified and covered.", "Every engineer is qualified, vetted and insured.")),
        ("Guaranteed work", ("Every job is covered for 12 months.", "If something we fixed fails, we come back and put it right.", "Twelve months of cover on parts and labour.")),
        ("Tidy finish", ("Dust sheets down, rubbish taken away.", "We leave your home as we found it, minus the problem.")),
        ("Urgent call-outs", ("Same-day visits for leaks, faults and lock-outs.", "Emergencies{in_place} get a same-day visit wherever we can.")),
    ),
    section="services",
    section_title=("Our services", "What {name} can do for you", "Jobs we take on"),
    items=(
        Item("Call-out and diagnosis", "First hour, small fixes included.", 65),
        Item("Repairs", "Usually done in one visit.", 85),
        Item("Installations", "Supplied, fitted, old ones removed.", None, meta="Quote on request"),
        Item("Planned work", "Bigger jobs, fixed written quote.", None, meta="Free quote"),
        Item("Maintenance plan", "A yearly check-up.", 12, " / month"),
    ),
    page=("services", "Services"),
    page_intro=(
        "Prices below are a guide; {name} always gives a fixed, written quote before starting.",
        "Whatever the job, {name} will tell you what it needs and what it costs before any work begins.",
    ),
    cta="Get a free quote",
    cta_titles=("Need a hand?", "Tell us about the job", "Get a price from {name}"),
    cta_texts=(
        "Send a few details and a photo if you can; most quotes go out the same day.",
        "Describe the job and we will call you back with a price and a time.",
    ),
    form_title=("Request a free quote", "Tell us about the job"),
    fields=(
        FormField("job_type", "Type of job", "select", ("Repair", "Installation", "Emergency", "Maintenance", "Something else")),
        FormField("postcode", "Postcode or area", "text", autocomplete="postal-code"),
        FormField("preferred_date", "Preferred date", "date"),
    ),
    message_label="Describe the job",
    quotes=(
        "{name} came out the same afternoon and fixed it in under an hour. Fair price, no fuss.",
        "Honest advice: {name} told us we did not need the expensive option.",
        "Tidy, polite and exactly on time. I have already recommended {name} to two neighbours.",
        "The quote was the price. That alone puts {name} ahead of everyone else we tried.",
        "{name} explained everything and left the place spotless.",
        "Called on a Sunday with a real emergency and {name} answered.",
    ),
    roles=("Homeowner", "Landlord", "Café owner", "Repeat customer", "Homeowner since {since_guest}"),
    motif="house",
    extras=("areas", "steps"),
    steps=(("Tell us the job", "Call, email or use the form."), ("Get a fixed quote", "In writing, usually same day."), ("We do the work", "On the agreed day, tidily.")),
    ctas={"quote": "Get a free quote", "emergency": "Call us now", "booking": "Book a visit", "book": "Book a visit"},
)

CLINIC = SiteKind(
    key="clinic",
    keywords={
        "dentist": 3, "dental": 3, "clinic": 3, "physio": 3, "physiotherapy": 3, "physiotherapist": 3,
        "chiropractor": 3, "osteopath": 3, "optician": 3, "optometrist": 3, "doctor": 3, "gp": 2, "surgery": 1,
        "medical": 2, "health centre": 4, "health center": 4, "dermatology": 3, "orthodontist": 3,
        "podiatrist": 3, "audiologist": 3, "vet": 3, "veterinary": 3, "pharmacy": 3, "counselling": 3,
        "counseling": 3, "therapist": 2, "psychologist": 3, "nutritionist": 3, "clínica": 3, "dentista": 3,
    },
    hue=190,
    noun="clinic",
    offerings={
        "dentist": "dental care", "dental": "dental care", "orthodontist": "orthodontics", "physio": "physiotherapy",
        "physiotherapy": "physiotherapy", "physiotherapist": "physiotherapy", "chiropractor": "chiropractic care",
        "osteopath": "osteopathy", "optician": "eye care", "optometrist": "eye care", "dermatology": "skin care",
        "podiatrist": "foot care", "audiologist": "hearing care", "vet": "veterinary care",
        "veterinary": "veterinary care", "counselling": "counselling", "counseling": "counseling",
        "therapist": "talking therapy", "psychologist": "psychological therapy", "nutritionist": "nutrition advice",
        "pharmacy": "pharmacy services", "gp": "family medicine", "doctor": "family medicine", "dentista": "dental care",
    },
    default_offering="health care",
    name_patterns=("{Place} {Offering} Clinic", "{Word} {Offering}", "The {Word} Clinic", "{Surname} {Offering}"),
    name_words=("Parkside", "Willow", "Meadow", "Harbour", "Riverside", "Elm", "Clearview", "Northgate", "Linden"),
    headlines=(
        "{Offering} that puts you at ease{in_place}",
        "Unhurried {offering}, explained clearly",
        "Feel looked after from the first appointment",
        "Modern {offering} with a human touch",
        "Your {place} team for {offering}",
    ),
    leads=(
        "At {name}, appointments run on time, treatment plans come in writing, and there is always time for your questions.",
        "{name} offers {offering}{in_place}, with early, late and Saturday appointments.",
        "New patients are welcome at {name}: book online or send a message and we will find a time that suits you.",
    ),
    story=(
        (
            "{founder} founded {name} {years} years ago to offer the kind of care they would want for their own family.",
            "{name} has grown over {years} years into a team of {team_size} clinicians, led by {founder}.",
            "When {founder} opened {name}, the aim was simple: no rushed appointments and no jargon.",
        ),
        (
            "Every clinician at {name} is registered with the relevant professional body and keeps training every year.",
            "{name} explains your options and costs before any treatment, and you decide what happens next.",
            "The rooms at {name} are calm and step-free, and nobody will hurry you.",
        ),
    ),
    features_title=("Care at {name}", "Why patients choose us", "What to expect"),
    features=(
        ("Clear costs", ("Prices are agreed before treatment starts.", "Your treatment plan and its cost come in writing.")),
        ("Time to talk", ("Appointments long enough for your questions.", "We never rush you out of the chair.", "Questions are welcome, however small.")),
        ("Flexible hours", ("Early, late and Saturday appointments.", "Evening slots for people who cannot take time off.")),
        ("Nervous patients welcome", ("We go at your pace and explain every step.", "Tell us you are anxious and we will plan around it.", "Signals to pause, and all the time you need.")),
        ("Modern equipment", ("Up-to-date equipment in every treatment room.", "Digital records, so nothing gets lost between visits.")),
        ("Accessible", ("Step-free access and a ground-floor room.", "Step-free access throughout{in_place}.")),
    ),
    section="treatments",
    section_title=("Treatments and fees", "What we treat", "Our treatments"),
    items=(
        Item("New patient consultation", "Assessment and a written plan.", 60, meta="45 min"),
        Item("Follow-up appointment", "Review, treatment and advice.", 45, meta="30 min"),
        Item("Extended appointment", "For more than one concern.", 85, meta="60 min"),
        Item("Care plan", "Check-ups spread over the year.", 15, " / month"),
    ),
    items_by_offering={
        "dental care": (
            Item("Check-up", "Examination and X-rays if needed.", 55, meta="30 min"),
            Item("Hygienist visit", "Scale, polish, gentle clean.", 65, meta="40 min"),
            Item("White filling", "Tooth-coloured, matched to you.", 120),
            Item("Teeth whitening", "Custom trays, dentist supervised.", 295),
            Item("Clear aligners", "No metal braces.", None, meta="Free consultation first"),
            Item("Dental plan", "Two check-ups, two hygienist visits.", 16, " / month"),
        ),
        "physiotherapy": (
            Item("Initial assessment", "Assessment and a clear plan.", 60, meta="45 min"),
            Item("Follow-up session", "Hands-on treatment, new exercises.", 50, meta="30 min"),
            Item("Sports massage", "For recovery and tight muscles.", 50, meta="45 min"),
            Item("Rehab class", "Small-group strength after injury.", 15, meta="Weekly"),
        ),
        "eye care": (
            Item("Eye examination", "Vision and eye health check.", 30, meta="30 min"),
            Item("Contact lens fitting", "Trial lenses, fitting, aftercare.", 45),
            Item("Children's eye test", "Free for under-16s.", None, meta="Free"),
            Item("Frames and lenses", "Hundreds of frames, fitted in-store.", 89),
        ),
    },
    page=("treatments", "Treatments"),
    page_intro=(
        "Fees are listed so there are no surprises; your plan is always agreed with you first.",
        "Not sure what you need? Start with a consultation and we will explain your options.",
    ),
    cta="Book an appointment",
    cta_titles=("Ready to book?", "Book your first visit to {name}", "Make an appointment"),
    cta_texts=(
        "Choose a day and a time of day, and we will confirm an appointment by email.",
        "New and returning patients can book online; we reply within one working day.",
    ),
    form_title=("Book an appointment", "Request an appointment"),
    fields=(
        FormField("treatment", "Treatment", "select"),
        FormField("preferred_date", "Preferred date", "date"),
        FormField("preferred_time", "Preferred time of day", "select", ("Morning", "Afternoon", "Evening", "Any time")),
        FormField("patient", "Have you visited before?", "select", ("No, I am a new patient", "Yes, I am a returning patient")),
    ),
    message_label="Anything that would help us prepare? (access needs, questions)",
    quotes=(
        "I used to dread appointments. The team at {name} changed that completely.",
        "Everything was explained at {name}, the price was agreed first, and I was seen on time.",
        "{name} fitted me in the same week and followed up afterwards to check on me.",
        "Calm, kind and properly professional. My whole family goes to {name} now.",
        "The best {offering} I have had; I left knowing exactly what happens next.",
        "Evening appointments mean I do not have to take time off work.",
    ),
    roles=("Patient since {since_guest}", "New patient", "Parent of two patients", "Patient", "Returning patient"),
    motif="cross",
    extras=("hours", "faq"),
    faq=(
        ("Do you take new patients?", "Yes: {name} welcomes new patients; book a first consultation online or by phone."),
        ("What if I need to cancel?", "Tell {name} 24 hours ahead and there is no charge."),
        ("Can I pay in instalments?", "Larger plans at {name} can be spread over monthly payments."),
        ("Is there parking?", "Ask us when you book; {name} will tell you the easiest way to arrive."),
    ),
    ctas={"booking": "Book an appointment", "book": "Book an appointment", "consultation": "Book a consultation"},
)

WELLNESS = SiteKind(
    key="wellness",
    keywords={
        "yoga": 3, "pilates": 3, "gym": 3, "fitness": 3, "personal trainer": 4, "trainer": 2, "crossfit": 3,
        "boxing": 2, "meditation": 3, "mindfulness": 3, "martial arts": 4, "dance studio": 4, "dance": 2,
        "spin": 2, "bootcamp": 3, "climbing wall": 4, "bouldering": 3, "massage": 3, "reiki": 3, "wellness": 2,
        "studio": 1, "classes": 1, "barre": 3, "swim school": 4,
    },
    hue=150,
    noun="studio",
    offerings={
        "yoga": "yoga", "pilates": "Pilates", "gym": "strength training", "fitness": "fitness classes",
        "personal trainer": "personal training", "trainer": "personal training", "crossfit": "functional fitness",
        "boxing": "boxing fitness", "meditation": "meditation", "mindfulness": "mindfulness",
        "martial arts": "martial arts", "dance": "dance classes", "spin": "indoor cycling",
        "bootcamp": "outdoor bootcamp", "bouldering": "bouldering", "climbing wall": "climbing", "massage": "massage",
        "reiki": "reiki", "barre": "barre", "swim school": "swimming lessons",
    },
    default_offering="movement classes",
    name_patterns=("{Word} {Offering}", "{Place} {Offering} Studio", "The {Word} Room", "{Word} & Breath", "Studio {Word}"),
    name_words=("Still Point", "Sunrise", "Lotus", "Kinetic", "Grounded", "Tidal", "Ember", "Open Sky", "Rooted", "Balance"),
    headlines=(
        "{Offering} for every body{in_place}",
        "Find your practice at {name}",
        "Stronger, calmer, one class at a time",
        "{Offering} that fits around your week",
        "Make time for yourself{in_place}",
    ),
    leads=(
        "{name} runs small {offering} classes{in_place} for complete beginners and seasoned regulars alike, with teachers who learn your name.",
        "Whether you want to move more, stress less or train for something, {name} has a class at a time that works for you.",
        "At {name}, classes are capped so every student gets attention, and your first class is on us.",
    ),
    story=(
        (
            "{founder} opened {name} {years} years ago, after a decade of teaching in rented halls.",
            "{name} grew from a few evening classes taught by {founder} into a studio with a full weekly timetable.",
            "{founder} started {name} to make {offering} feel welcoming to people who had never tried it.",
        ),
        (
            "Our teachers are qualified, insured and genuinely kind; nobody is judged on day one.",
            "{name} keeps classes small, provides the kit, and there is tea afterwards.",
            "There is no dress code at {name} and no mirrors to compare yourself in, just good teaching.",
        ),
    ),
    features_title=("Why people practise with us", "Why {name} is different", "What makes a class here"),
    features=(
        ("Small classes", ("Never more than fifteen people, so teachers can help.", "Capped numbers mean real feedback in every class.", "Room to move, and a teacher who sees you.")),
        ("Beginners welcome", ("Foundation classes every week for first-timers.", "New to {offering}? Start with our beginners' course.")),
        ("Kit provided", ("Mats, blocks and towels are here; just bring water.", "Turn up in comfy clothes; we have the rest.", "Everything you need is in the studio.")),
        ("Flexible passes", ("Drop in, buy a pack, or go unlimited.", "Passes that pause when life gets busy.", "{name} passes pause when life gets busy.")),
        ("Experienced teachers", ("Every teacher is qualified and insured.", "Teachers with years of practice, not a weekend course.")),
        ("Early and late", ("Classes from 6:30 am and until 8:30 pm.", "Lunchtime sessions for people working nearby.")),
    ),
    section="timetable",
    section_title=("This week's timetable", "Class timetable", "When to find us"),
    items=(
        Item("Beginners", "Foundations at a gentle pace.", meta="Mon 18:30"),
        Item("Morning flow", "Move before work.", meta="Tue 07:00"),
        Item("Strength", "Safe strength, all levels.", meta="Wed 12:15"),
        Item("All levels", "Our most popular class.", meta="Thu 19:00"),
        Item("Slow and restore", "Long holds, breath and rest.", meta="Fri 18:00"),
        Item("Weekend class", "A longer, playful session.", meta="Sat 09:30"),
    ),
    page=("timetable", "Timetable & prices"),
    page_intro=(
        "Book a single class, a pack of ten or an unlimited month; your first class at {name} is free.",
        "Classes run every day of the week. Passes below work for every class on the timetable.",
    ),
    cta="Book your first class",
    cta_titles=("Try a class on us", "Your first class at {name} is free", "Come and move with us"),
    cta_texts=(
        "Tell us which class you fancy and we will save you a mat.",
        "Pick a day; we will send you everything you need to know before you arrive.",
    ),
    form_title=("Book a free class", "Save your spot"),
    fields=(
        FormField("class", "Class you would like to try", "select"),
        FormField("experience", "Experience", "select", ("Complete beginner", "Some experience", "Regular practice")),
        FormField("preferred_date", "Preferred date", "date"),
    ),
    message_label="Anything your teacher should know? (injuries, pregnancy, goals)",
    quotes=(
        "I walked in unable to touch my toes. Six months at {name} later, I look forward to every class.",
        "The teachers at {name} notice everything and adjust without making a fuss.",
        "Small classes, friendly faces and a {name} timetable that fits around work.",
        "The best hour of my week, every week.",
        "I tried three studios{in_place} before {name}; this is the one that stuck.",
        "Welcoming from the first minute, even for a total beginner like me.",
    ),
    roles=("Member since {since_guest}", "Beginner", "Weekend regular", "Member", "Lunchtime regular"),
    motif="leaf",
    extras=("passes",),
    ctas={"booking": "Book a class", "book": "Book a class", "membership": "Join today", "trial": "Book a free trial"},
)

SALON = SiteKind(
    key="salon",
    keywords={
        "salon": 3, "hairdresser": 3, "hair salon": 4, "barber": 3, "barbershop": 3, "nail": 2, "nails": 2,
        "beauty": 2, "beautician": 3, "lashes": 3, "brows": 3, "spa": 2, "tattoo": 3, "makeup artist": 4,
        "waxing": 3, "facial": 2, "facials": 2,
    },
    hue=340,
    noun="salon",
    offerings={
        "salon": "hair", "hairdresser": "cuts and colour", "hair salon": "cuts and colour", "barber": "cuts and shaves",
        "barbershop": "cuts and shaves", "nail": "nails", "nails": "nails", "beauty": "beauty treatments",
        "lashes": "lashes and brows", "brows": "lashes and brows", "spa": "spa treatments", "tattoo": "tattoos",
        "makeup artist": "make-up", "waxing": "waxing", "facial": "facials", "facials": "facials",
    },
    default_offering="hair and beauty",
    name_patterns=("{Word} Hair", "{First}'s", "The {Word} Room", "{Word} & Co", "{Place} {Word}"),
    name_words=("Velvet", "Gloss", "Shear", "Bloom", "Mirror", "Honey", "Ivy", "Silk", "Fringe", "Glow"),
    headlines=(
        "{Offering} you will want to show off",
        "Leave {name} feeling like yourself, only better",
        "Good {offering}, unhurried{in_place}",
        "Your chair is ready",
    ),
    leads=(
        "{name} is a friendly salon{in_place} where every appointment starts with a proper consultation and ends with a look you love.",
        "Book {offering} with stylists who listen first and cut second, in a relaxed space with good coffee.",
        "From a quick tidy-up to a whole new look, the team at {name} takes the time to get it right.",
    ),
    story=(
        (
            "{founder} opened {name} {years} years ago after training in some of the busiest salons around.",
            "{name} began with one chair and {founder}; today there are {team_size} of us.",
        ),
        (
            "We use kind, professional products and are happy to talk you through every choice.",
            "Every appointment includes a consultation, because the best results start with listening.",
        ),
    ),
    features_title=("Why clients stay", "Visiting {name}"),
    features=(
        ("Proper consultations", ("We talk before we touch a thing.", "Every visit starts with what you want, not what we want.")),
        ("Skilled team", ("Stylists who keep training every season.", "A team with years behind the chair.")),
        ("Relaxed space", ("Good music, great coffee and no rush.", "A calm room and a chair you will not want to leave.")),
        ("Online booking", ("Pick your stylist and time in a minute.", "Book any time, even at midnight.")),
    ),
    section="prices",
    section_title=("Services and prices", "Price list"),
    items=(
        Item("Cut and finish", "Consultation, wash, cut and blow-dry.", 45, meta="60 min"),
        Item("Colour", "Full colour or roots, with a gloss.", 70, meta="90 min"),
        Item("Highlights", "Half or full head, tailored to you.", 95, meta="2 h"),
        Item("Blow-dry", "Wash and a bouncy finish for a big night.", 30, meta="40 min"),
        Item("Treatment", "A deep-conditioning treatment for tired hair.", 20, meta="20 min"),
    ),
    page=("prices", "Prices"),
    page_intro=("Prices depend on length and stylist; your consultation is always free.", "Every price includes a consultation and a finish."),
    cta="Book an appointment",
    cta_titles=("Ready for a change?", "Book your chair at {name}"),
    cta_texts=("Choose a service and a day, and we will confirm your appointment by email.", "New clients get a free consultation before their first appointment."),
    form_title=("Book an appointment", "Request an appointment"),
    fields=(
        FormField("service", "Service", "select"),
        FormField("preferred_date", "Preferred date", "date"),
        FormField("preferred_time", "Preferred time", "select", ("Morning", "Afternoon", "Evening")),
    ),
    message_label="Anything we should know? (hair history, allergies, inspiration)",
    quotes=(
        "Finally a salon that listens. {name} gave me exactly what I asked for.",
        "I get compliments for weeks after every visit.",
        "Relaxed, friendly and brilliant at what they do.",
        "The consultation alone is better than anywhere else I have tried.",
    ),
    roles=("Client since {since_guest}", "New client", "Regular client"),
    motif="scissors",
    extras=("hours",),
)

LEGAL = SiteKind(
    key="legal",
    keywords={
        "lawyer": 3, "lawyers": 3, "solicitor": 3, "solicitors": 3, "law firm": 4, "attorney": 3, "legal": 2,
        "barrister": 3, "notary": 3, "conveyancing": 3, "immigration lawyer": 4, "family law": 4, "law": 1,
        "abogado": 3, "advogado": 3,
    },
    hue=220,
    noun="law firm",
    offerings={
        "family law": "family law", "divorce": "family law", "conveyancing": "conveyancing", "property": "property law",
        "immigration": "immigration law", "employment": "employment law", "wills": "wills and probate",
        "probate": "wills and probate", "criminal": "criminal defence", "business": "business law",
        "personal injury": "personal injury claims", "notary": "notarial services", "tenant": "housing law",
    },
    default_offering="legal advice",
    name_patterns=("{Surname} & {Surname2}", "{Surname} {Surname2} Solicitors", "{Surname} Law", "{Place} Legal"),
    name_words=("Law",),
    headlines=(
        "Clear advice on {offering}{in_place}",
        "Straight answers when the stakes are high",
        "{Offering} without the jargon",
        "Legal help that treats you like a person",
    ),
    leads=(
        "{name} advises people and businesses{in_place} on {offering}, with fixed fees wherever we can and plain English always.",
        "Talk to a qualified lawyer at {name} about your situation; we will tell you your options and what they cost.",
        "For {years} years, {name} has helped clients through difficult moments with calm, practical advice.",
    ),
    story=(
        (
            "{founder} founded {name} {years} years ago after a career at larger firms, wanting to offer more personal advice.",
            "{name} is an independent firm of {team_size} lawyers led by {founder}.",
        ),
        (
            "We are regulated by the relevant professional body and carry full professional indemnity insurance.",
            "We quote fixed fees wherever the work allows, and explain any hourly work before it starts.",
        ),
    ),
    features_title=("Why clients choose {name}", "How we help"),
    features=(
        ("Plain English", ("Advice you can understand and act on.", "We explain the law in words you already use.")),
        ("Fixed fees", ("Know the cost before we start, wherever possible.", "Clear pricing agreed up front.")),
        ("Senior attention", ("Your case is handled by an experienced lawyer.", "You deal with the same lawyer from start to finish.")),
        ("Quick replies", ("We answer emails and calls within one working day.", "No chasing: we keep you updated.")),
    ),
    section="practice",
    section_title=("Practice areas", "How we can help"),
    items=(
        Item("Family law", "Divorce, separation, children and finances, handled with care."),
        Item("Property", "Buying, selling and leasing, residential and commercial."),
        Item("Wills and probate", "Wills, powers of attorney and estates."),
        Item("Employment", "Contracts, disputes and settlement agreements."),
        Item("Business", "Company formation, contracts and shareholder agreements."),
        Item("Immigration", "Visas, settlement and citizenship applications."),
    ),
    page=("practice-areas", "Practice areas"),
    page_intro=("Whatever your situation, your first conversation with {name} is about understanding it.", "The areas our lawyers advise on every day."),
    cta="Book a consultation",
    cta_titles=("Talk to a lawyer", "Start with a conversation"),
    cta_texts=("Tell us briefly what has happened; a lawyer will call you back within one working day.", "Everything you tell us is confidential."),
    form_title=("Book a consultation", "Ask for a call back"),
    fields=(
        FormField("area", "Area of law", "select"),
        FormField("call_time", "Best time to call", "select", ("Morning", "Lunchtime", "Afternoon", "Evening")),
    ),
    message_label="Briefly, what would you like help with? (no need for details yet)",
    quotes=(
        "{name} explained everything clearly and kept me updated at every step.",
        "Calm, practical advice at the hardest time of my life.",
        "The fee was fixed and the service was excellent. I would not go anywhere else.",
        "They answered every question, however small, without making me feel rushed.",
    ),
    roles=("Private client", "Business owner", "Client, {since_guest}"),
    motif="scales",
    extras=("steps", "faq"),
    steps=(("Tell us what happened", "In confidence, by phone or the form."), ("Get your options", "A lawyer explains them, with costs."), ("Decide together", "You choose how to go on.")),
    faq=(("Is the first conversation free?", "A short first call is free and without obligation."), ("Do you offer fixed fees?", "Yes, for most work; we tell you before anything starts.")),
    ctas={"consultation": "Book a free consultation"},
)

ACCOUNTING = SiteKind(
    key="accounting",
    keywords={
        "accountant": 3, "accountants": 3, "accounting": 3, "bookkeeper": 3, "bookkeeping": 3, "tax adviser": 4,
        "tax advisor": 4, "tax": 1, "payroll": 2, "auditor": 3, "financial adviser": 4, "financial advisor": 4,
        "contabilidade": 3,
    },
    hue=170,
    noun="accountancy firm",
    offerings={
        "bookkeeping": "bookkeeping", "bookkeeper": "bookkeeping", "tax": "tax returns", "payroll": "payroll",
        "accountant": "accounting", "accountants": "accounting", "accounting": "accounting", "vat": "VAT returns",
        "financial adviser": "financial planning", "financial advisor": "financial planning", "audit": "audits",
        "freelancers": "accounting for freelancers", "startups": "accounting for start-ups",
    },
    default_offering="accounting",
    name_patterns=("{Surname} & {Surname2}", "{Word} Accounts", "{Surname} Accountancy", "{Place} {Word} Accountants"),
    name_words=("Ledger", "Balance", "Clearwater", "Summit", "Tally", "Northstar", "Keystone"),
    headlines=(
        "{Offering} that lets you get on with business",
        "Numbers sorted, deadlines met{in_place}",
        "Accountants who answer the phone",
        "Less paperwork, more clarity",
    ),
    leads=(
        "{name} looks after {offering} for small businesses, freelancers and families{in_place}, for a fixed monthly fee.",
        "Send us your receipts and questions; {name} handles the returns, the deadlines and the awkward letters.",
        "For {years} years, {name} has kept clients on top of their numbers with friendly, proactive advice.",
    ),
    story=(
        (
            "{founder} set up {name} {years} years ago to give small businesses the attention big firms save for big clients.",
            "{name} is a team of {team_size} accountants and bookkeepers led by {founder}.",
        ),
        ("We are qualified and regulated, and we work with the software you already use.", "Every client has a named accountant and a fixed fee agreed up front."),
    ),
    features_title=("Why clients stay with {name}", "What you get"),
    features=(
        ("Fixed monthly fees", ("No surprise bills for a quick question.", "One price, agreed up front.")),
        ("A named accountant", ("The same person every time you call.", "Someone who knows your business.")),
        ("Deadlines handled", ("We remind you early and file on time.", "No more last-minute panics in January.")),
        ("Cloud software", ("We set you up with the right tools.", "Your numbers, up to date, wherever you are.")),
    ),
    section="pricing",
    section_title=("Packages", "Services and fees"),
    items=(
        Item("Sole trader", "Self-assessment, bookkeeping check and tax advice.", 45, " / month"),
        Item("Limited company", "Accounts, corporation tax and director returns.", 120, " / month"),
        Item("Payroll", "Payslips and filings for up to ten staff.", 30, " / month"),
        Item("One-off return", "A single personal tax return, done properly.", 250),
    ),
    page=("services", "Services & fees"),
    page_intro=("Fixed fees, agreed before we start; switching to {name} is free and we handle it.", "Packages for every stage of a business."),
    cta="Book a free call",
    cta_titles=("Let's talk numbers", "Switch to {name}"),
    cta_texts=("Tell us about your business and we will send a fixed quote within a day.", "A short call is all it takes to see if we are a good fit."),
    form_title=("Ask for a quote", "Book a free call"),
    fields=(
        FormField("business_type", "Type of business", "select", ("Sole trader", "Limited company", "Partnership", "Charity", "Individual")),
        FormField("turnover", "Yearly turnover (roughly)", "text"),
    ),
    message_label="What do you need help with?",
    quotes=(
        "{name} saved me hours every month and more than their fee in tax.",
        "They explain things in plain English and always pick up the phone.",
        "Switching was painless; they handled everything with our old accountant.",
        "Proactive advice I did not know I needed.",
    ),
    roles=("Freelance designer", "Café owner", "Company director", "Client since {since_guest}"),
    motif="chart",
    extras=("faq",),
    faq=(("Can you take over from my current accountant?", "Yes. We handle the handover and it costs you nothing."), ("Which software do you use?", "We work with the popular cloud accounting tools and will help you choose.")),
)

PHOTOGRAPHY = SiteKind(
    key="photography",
    keywords={
        "photographer": 3, "photography": 3, "photo studio": 4, "videographer": 3, "filmmaker": 3,
        "fotógrafo": 3, "fotografo": 3, "photos": 1, "portraits": 2,
    },
    hue=285,
    noun="photographer",
    offerings={
        "wedding": "wedding photography", "weddings": "wedding photography", "portrait": "portrait photography",
        "portraits": "portrait photography", "family": "family photography", "newborn": "newborn photography",
        "product": "product photography", "food": "food photography", "event": "event photography",
        "events": "event photography", "headshot": "headshots", "headshots": "headshots",
        "videographer": "wedding films", "filmmaker": "films", "landscape": "landscape photography",
        "fashion": "fashion photography", "pet": "pet portraits", "elopement": "elopement photography",
        "architecture": "architectural photography",
    },
    default_offering="photography",
    name_patterns=("{First} {Surname} Photography", "{Surname} Studio", "{Word} & Light", "{First} {Surname}", "{Word} Photography"),
    name_words=("Golden Hour", "Silver", "Lumen", "Field", "Tide", "Saltwater", "Wildflower", "Aperture", "Lightbox"),
    headlines=(
        "{Offering} that feels like you{in_place}",
        "Honest, unposed {offering}",
        "Pictures you will want to look at for years",
        "{Offering}, told as a story",
        "Real moments, beautifully kept",
    ),
    leads=(
        "{name} photographs people as they are: relaxed, a little candid and full of light. Based{in_place}, happy to travel.",
        "{Offering} by {name}: quiet direction, natural light and a gallery delivered within weeks, not months.",
        "From the first message to the final gallery, {name} keeps things simple, friendly and unhurried.",
    ),
    story=(
        (
            "{founder} picked up a camera {years} years ago and has been photographing people ever since.",
            "Before starting {name}, {founder} worked as a press photographer, learning to catch moments as they happen.",
        ),
        (
            "I work with natural light and very little posing, so the pictures look like the day felt.",
            "Every gallery is edited by hand and delivered online, ready to download, share and print.",
        ),
    ),
    features_title=("How I work", "What you can expect"),
    features=(
        ("Relaxed direction", ("Gentle prompts, never stiff poses.", "You will forget the camera is there.")),
        ("Natural light", ("Soft, honest colour that lasts.", "Light-filled pictures, edited by hand.")),
        ("Fast galleries", ("A preview within a week, the full gallery within a month.", "Sneak peeks within days.")),
        ("Prints and albums", ("Heirloom albums and archival prints on request.", "Fine-art prints made to last.")),
    ),
    section="gallery",
    section_title=("Selected work", "Recent pictures", "Gallery"),
    items=(
        Item("Morning light", "First light through the window."),
        Item("The walk", "A quiet moment between two people."),
        Item("Laughter", "The moment just after the joke."),
        Item("Details", "Hands, flowers and the things people forget."),
        Item("Golden hour", "The last twenty minutes of sun."),
        Item("Together", "Everyone, for once, in one frame."),
    ),
    page=("gallery", "Gallery"),
    page_intro=("A small selection from recent {offering}. Full galleries are shared privately with each client.", "Recent work, chosen from hundreds of favourites."),
    cta="Check my availability",
    cta_titles=("Tell me about your plans", "Is your date free?"),
    cta_texts=("Send your date and place; I reply within two days with availability and packages.", "Dates book up a year ahead, so it is worth asking early."),
    form_title=("Check availability", "Tell me about your day"),
    fields=(
        FormField("event_date", "Date", "date"),
        FormField("venue", "Venue or location", "text"),
        FormField("package", "Package you are interested in", "select"),
    ),
    message_label="Tell me a little about your plans",
    quotes=(
        "{name} captured our day exactly as it felt. We cry every time we open the gallery.",
        "Relaxed, funny and completely unobtrusive. Our guests loved them.",
        "The pictures arrived quickly and they are stunning.",
        "We hate being photographed, and somehow these are the best pictures of us ever taken.",
        "Worth every penny: the album is our most treasured thing.",
    ),
    roles=("Married {since_guest}", "Family session", "Portrait client", "Elopement, {since_guest}"),
    motif="camera",
    extras=("packages",),
)

DESIGN = SiteKind(
    key="design",
    keywords={
        "designer": 3, "design studio": 4, "agency": 3, "design": 2, "branding": 3, "illustrator": 3,
        "architect": 3, "architecture": 3, "interior designer": 4, "interior design": 4, "ux": 2, "web designer": 4,
        "creative": 2, "portfolio": 2, "freelance": 1, "freelancer": 1, "studio": 1, "marketing": 2,
        "copywriter": 3, "animator": 3, "developer": 2,
    },
    hue=265,
    noun="design studio",
    offerings={
        "branding": "brand identity", "brand": "brand identity", "web": "web design", "website": "web design",
        "web designer": "web design", "ux": "product design", "product": "product design",
        "illustrator": "illustration", "illustration": "illustration", "architect": "architecture",
        "architecture": "architecture", "interior": "interior design", "interior designer": "interior design",
        "interior design": "interior design", "marketing": "marketing", "copywriter": "copywriting",
        "animator": "animation", "packaging": "packaging design", "graphic": "graphic design",
        "developer": "web development", "landscape": "landscape architecture",
    },
    default_offering="design",
    name_patterns=("{Word} Studio", "Studio {Word}", "{Surname} & {Surname2}", "{Word} Works", "{First} {Surname} Design"),
    name_words=("North", "Fold", "Kin", "Margin", "Grain", "Common", "Halftone", "Signal", "Atlas", "Plain"),
    headlines=(
        "{Offering} with a point of view",
        "Work that makes people look twice",
        "{Offering} for people who care about the details",
        "Thoughtful {offering}{in_place}",
    ),
    leads=(
        "{name} is an independent studio{in_place} doing {offering} for organisations that want to be understood, not just noticed.",
        "We start with questions, not mood boards: {name} turns what makes you different into {offering} people remember.",
        "Small team, senior people, no hand-offs: at {name} the people you meet are the people who do the work.",
    ),
    story=(
        (
            "{founder} started {name} {years} years ago after leading teams at larger agencies.",
            "{name} is {team_size} people who share one studio{in_place} and an obsession with getting things right.",
        ),
        (
            "We have worked with start-ups, charities and household names, and we treat every brief the same way.",
            "Every project gets a senior lead from first workshop to final file.",
        ),
    ),
    features_title=("What we do", "How we help"),
    features=(
        ("Strategy", ("Research and positioning that give every decision a reason.", "Workshops that find what is really different about you.")),
        ("Identity", ("Names, logos and systems that scale from favicon to billboard.", "Visual identities built to last.")),
        ("Digital", ("Fast, accessible websites and products.", "Design and build, under one roof.")),
        ("Content", ("Photography, copy and motion that tell your story.", "Words and pictures that sound like you.")),
    ),
    section="cases",
    section_title=("Case studies", "Selected projects"),
    items=(
        Item("Riverside Trust", "A new identity and website that doubled online donations."),
        Item("Harbour Coffee", "Packaging and a shop for a roaster going national."),
        Item("Fieldnotes App", "Product design for a note-taking app for researchers."),
        Item("City Library", "Wayfinding and signage across six floors."),
        Item("Bloom Festival", "A flexible identity for a three-day arts festival."),
        Item("Northline Rail", "A timetable redesign used by two million passengers."),
    ),
    page=("work", "Work"),
    page_intro=("A few recent projects; ask us for the full case studies and the people behind them.", "Projects we are proud of, and what changed because of them."),
    cta="Start a project",
    cta_titles=("Have a project in mind?", "Let's make something good"),
    cta_texts=("Tell us what you are planning; we reply within two working days.", "A short brief is plenty to start a conversation."),
    form_title=("Tell us about your project", "Start a project"),
    fields=(
        FormField("project_type", "Type of project", "select"),
        FormField("budget", "Budget", "select", ("Under 5,000", "5,000 to 15,000", "15,000 to 50,000", "Over 50,000", "Not sure yet")),
        FormField("timeline", "When would you like to start?", "text"),
    ),
    message_label="Tell us about the project",
    quotes=(
        "{name} understood what we were trying to say better than we did.",
        "The new identity changed how people see us, and how we see ourselves.",
        "Brilliant to work with: clear, calm and on time.",
        "They challenged our brief in the best way.",
    ),
    roles=("Founder", "Head of marketing", "Director", "Product lead"),
    motif="frame",
    extras=("steps",),
    steps=(("Discover", "Workshops and research."), ("Design", "Ideas, tested early."), ("Deliver", "Files, guidelines and launch.")),
)

SAAS = SiteKind(
    key="saas",
    keywords={
        "saas": 3, "software": 3, "app": 3, "platform": 3, "tool": 2, "startup": 2, "dashboard": 2, "api": 2,
        "crm": 3, "plugin": 3, "extension": 2, "b2b": 2, "automation": 2, "analytics": 2, "workflow": 2,
        "subscription": 1, "cloud": 2, "ai": 2,
    },
    hue=228,
    noun="app",
    offerings={
        "project management": "project management", "invoicing": "invoicing", "invoice": "invoicing",
        "crm": "customer relationships", "scheduling": "scheduling", "booking": "bookings", "hr": "HR",
        "recruiting": "hiring", "hiring": "hiring", "analytics": "analytics", "email": "email marketing",
        "support": "customer support", "helpdesk": "customer support", "inventory": "inventory",
        "accounting": "bookkeeping", "expenses": "expenses", "notes": "note-taking", "time tracking": "time tracking",
        "payroll": "payroll", "fitness": "training plans", "recipes": "meal planning", "meal": "meal planning",
        "budget": "budgeting", "budgeting": "budgeting", "language": "language learning", "habit": "habits",
        "forms": "forms", "survey": "surveys", "surveys": "surveys", "feedback": "customer feedback",
        "security": "security", "monitoring": "monitoring", "documentation": "documentation",
        "onboarding": "onboarding", "meetings": "meetings", "tasks": "tasks", "todo": "tasks",
        "social media": "social media", "marketing": "marketing", "sales": "sales", "logistics": "logistics",
        "fleet": "fleet management", "property": "property management", "restaurants": "restaurant orders",
        "teachers": "lesson planning", "clinics": "patient bookings", "agencies": "client projects",
    },
    default_offering="everyday work",
    name_patterns=("{Word}ly", "{Word}Flow", "{Word}base", "{Word} HQ", "Get{Word}"),
    name_words=("Plan", "Task", "Beacon", "Loop", "Orbit", "Pulse", "Relay", "Sprout", "Tally", "Nimbus", "Stack", "Ledger"),
    headlines=(
        "{Offering}, without the busywork",
        "Run {offering} from one calm place",
        "The simplest way to handle {offering}",
        "Spend less time on {offering}, more on your work",
        "{Offering} your whole team will actually use",
    ),
    leads=(
        "{name} brings {offering} into one fast, friendly workspace, so your team spends its time on work that matters.",
        "Set up {name} in minutes, invite your team, and watch the spreadsheets and status meetings disappear.",
        "{name} is {offering} software for small teams: quick to learn, secure by default and priced fairly.",
    ),
    story=(
        (
            "{name} started when {founder} got tired of juggling spreadsheets and chat threads just to keep {offering} on track.",
            "{founder} built the first version of {name} for their own team; {years} years later, thousands of teams use it.",
        ),
        (
            "{name} is a small, remote team that answers support emails itself.",
            "Your data in {name} is encrypted in transit and at rest, and you can export all of it at any time.",
        ),
    ),
    features_title=("Everything you need, nothing you don't", "Why teams switch to {name}", "Features"),
    features=(
        ("Set up in minutes", ("Import what you have and be running before lunch.", "No training course needed: invite your team and go.")),
        ("Real-time collaboration", ("Everyone sees changes as they happen.", "Comment, assign and update together.")),
        ("Automations", ("Let reminders and hand-offs run themselves.", "Rules that do the repetitive work for you.", "Recurring chores, handled on schedule.")),
        ("Integrations", ("Connects to the calendar, chat and storage you already use.", "Works with your existing tools out of the box.")),
        ("Reports", ("See where time goes with live dashboards.", "Weekly summaries land in your inbox.")),
        ("Secure by default", ("Single sign-on, audit logs and encryption.", "Two-factor sign-in for every account.")),
        ("Mobile apps", ("Everything on your phone, even offline.", "Native apps for iOS and Android.")),
    ),
    section="pricing",
    section_title=("Simple pricing", "Plans and pricing", "Pick a plan"),
    items=(
        Item("Starter", "Up to 5 people, core features.", 0, " / month", meta="Free forever"),
        Item("Team", "Automations, integrations, priority support.", 9, " per user / month"),
        Item("Business", "SSO, audit logs, success manager.", 19, " per user / month"),
    ),
    page=("pricing", "Pricing"),
    page_intro=("Every paid plan starts with a 14-day free trial; no card needed.", "Start free, upgrade when your team grows, cancel any time."),
    cta="Start free trial",
    cta_titles=("Ready to try {name}?", "See {name} in action"),
    cta_texts=("Start a free trial in a minute, or book a demo and we will show you around.", "Fourteen days free, full features, no card required."),
    form_title=("Book a demo", "Talk to us"),
    fields=(
        FormField("company", "Company", "text", autocomplete="organization"),
        FormField("team_size", "Team size", "select", ("Just me", "2-10", "11-50", "51-200", "200+")),
    ),
    message_label="What would you like to see?",
    quotes=(
        "We replaced three tools with {name} and our Monday meeting got shorter.",
        "Set up {name} in an afternoon; the whole team was using it by Friday.",
        "{name} support replied in minutes, from a real person who knew the product.",
        "{name} is the first tool for {offering} our team did not complain about.",
        "The automations alone save us hours every week.",
    ),
    roles=("Operations lead", "Founder", "Head of product", "Team lead", "Office manager"),
    motif="chart",
    extras=("faq", "stats"),
    faq=(
        ("Is there a free plan?", "Yes: {name} is free for up to five people."),
        ("Can I export my data?", "Any time, in open formats, from your {name} settings."),
        ("Do you offer discounts?", "Charities and schools get half price on every {name} plan."),
        ("Is my data safe?", "{name} encrypts it in transit and at rest, and backs it up daily."),
        ("Can I cancel any time?", "Yes; {name} has no contracts and no cancellation fees."),
    ),
    stats=(("{stat_a},000+", "teams"), ("{stat_b}%", "say they save time weekly"), ("4.{stat_c}/5", "average review")),
    ctas={"trial": "Start free trial", "demo": "Book a demo", "waitlist": "Join the waitlist", "download": "Download the app", "sign up": "Sign up free"},
)

SHOP = SiteKind(
    key="shop",
    keywords={
        "shop": 3, "store": 3, "boutique": 3, "ecommerce": 3, "e-commerce": 3, "online shop": 4, "online store": 4,
        "sell": 2, "selling": 2, "sells": 2, "products": 1, "marketplace": 2, "webshop": 3, "loja": 3, "tienda": 3,
        "handmade": 1, "merch": 2,
    },
    hue=330,
    noun="shop",
    offerings={
        "candles": "candles", "candle": "candles", "ceramics": "ceramics", "pottery": "pottery",
        "jewellery": "jewellery", "jewelry": "jewelry", "clothing": "clothing", "clothes": "clothing",
        "fashion": "clothing", "plants": "houseplants", "houseplants": "houseplants", "flowers": "flowers",
        "books": "books", "prints": "art prints", "art": "art prints", "skincare": "skincare", "soap": "soap",
        "coffee": "coffee", "tea": "tea", "chocolate": "chocolate", "wine": "wine", "toys": "toys",
        "furniture": "furniture", "bikes": "bikes", "shoes": "shoes", "bags": "bags", "stationery": "stationery",
        "knitwear": "knitwear", "vintage": "vintage clothing", "records": "records", "vinyl": "records",
        "gifts": "gifts", "cheese": "cheese", "honey": "honey", "spices": "spices", "pet": "pet supplies",
        "yarn": "yarn", "textiles": "textiles", "lamps": "lamps", "rugs": "rugs", "sneakers": "sneakers",
    },
    default_offering="handmade goods",
    name_patterns=("{Word} & {Word2}", "The {Offering} Shop", "{Word} Supply Co", "{Place} {Offering} Company", "{Word} Goods"),
    name_words=("Wren", "Marigold", "Hazel", "Pebble", "Fern", "Ember", "Clover", "Moss", "Linen", "Sparrow"),
    headlines=(
        "{Offering}, made to be kept",
        "Small-batch {offering}, delivered to your door",
        "{Offering} you will not find on the high street",
        "Thoughtfully made {offering}",
    ),
    leads=(
        "{name} makes and sells {offering} in small batches{in_place}, packed plastic-free and shipped with care.",
        "Every piece at {name} is chosen or made by hand; when a batch sells out, the next one is a little different.",
        "Shop {offering} from {name}: free delivery on bigger orders and easy returns if it is not quite right.",
    ),
    story=(
        (
            "{name} began at {founder}'s kitchen table {years} years ago with one product and a market stall.",
            "{founder} started {name} to make {offering} that last, in a world full of things that don't.",
        ),
        ("{name} makes in small batches, pays its makers fairly and packs everything without plastic.", "Every {name} order is packed by hand in our workshop{in_place}."),
    ),
    features_title=("Why shop with {name}", "Good to know"),
    features=(
        ("Free delivery", ("On every order over {free_delivery}.", "Free tracked delivery over {free_delivery}.")),
        ("Easy returns", ("Thirty days to change your mind.", "Not right? Send it back within 30 days.")),
        ("Gift wrapping", ("Add a handwritten note at checkout.", "Wrapped by hand, ready to give.")),
        ("Made responsibly", ("Honest materials and recyclable packaging.", "Small batches, no waste.")),
    ),
    section="products",
    section_title=("Best sellers", "New in", "Shop the collection"),
    items=(
        Item("The Everyday", "Our best seller, three colours.", 18),
        Item("Gift set", "Three favourites, boxed.", 42),
        Item("Limited edition", "Small run, gone soon.", 32),
        Item("Starter bundle", "Everything you need to begin.", 25),
        Item("Gift card", "Let them choose.", 20),
        Item("Seasonal special", "Made for this season only.", 22),
    ),
    items_by_offering={
        "candles": (
            Item("Fig & cedar candle", "Soy wax, cotton wick, 40 hours.", 24),
            Item("Sea salt candle", "Fresh and clean, 40 hours.", 24),
            Item("Travel tin trio", "Three scents to try.", 18),
            Item("Reed diffuser", "Three months of scent.", 28),
            Item("Wick trimmer", "Brass, made to last.", 12),
            Item("Refill candle", "Pour into your old jar.", 16),
        ),
        "ceramics": (
            Item("Speckled mug", "Wheel-thrown stoneware, 350 ml.", 26),
            Item("Serving bowl", "Big enough for a crowd.", 48),
            Item("Bud vase", "For a single stem.", 22),
            Item("Side plates (set of 4)", "Glazed in oatmeal and moss.", 58),
            Item("Teapot", "Pours without dripping. Really.", 75),
            Item("Seconds box", "Small flaws, same love.", 30),
        ),
    },
    page=("shop", "Shop"),
    page_intro=("Prices include VAT where it applies; {name} delivers free over {free_delivery}.", "Browse the {name} collection; new pieces arrive every month."),
    cta="Shop now",
    cta_titles=("Find something you love", "Questions about an order?"),
    cta_texts=("Ask {name} anything about sizes, stock or wholesale; we reply within a day.", "Looking for a gift? Tell {name} who it is for and we will suggest something."),
    form_title=("Ask us a question", "Get in touch"),
    fields=(
        FormField("order_number", "Order number (if you have one)", "text"),
        FormField("topic", "What is it about?", "select", ("An order", "A product", "Wholesale", "Something else")),
    ),
    message_label="Your question",
    quotes=(
        "Beautifully packed and even better in person. {name} is my go-to for gifts.",
        "My {name} order arrived in two days with a handwritten note.",
        "I have bought from {name} four times now and every piece is a little different.",
        "Great quality, fair prices, and {name} actually replies to emails.",
    ),
    roles=("Verified buyer", "Customer since {since_guest}", "Repeat customer", "Gift buyer"),
    motif="bag",
    ctas={"buy": "Shop now", "order": "Order now", "subscribe": "Subscribe and save"},
)

EVENT = SiteKind(
    key="event",
    keywords={
        "conference": 3, "festival": 3, "summit": 3, "meetup": 3, "expo": 3, "hackathon": 3, "convention": 3,
        "symposium": 3, "gala": 3, "concert": 3, "workshop": 2, "webinar": 3, "tournament": 3, "fair": 2,
        "event": 2, "events": 1, "launch party": 4, "race": 2, "marathon": 3, "congress": 3, "tickets": 1,
    },
    hue=160,
    noun="event",
    offerings={},
    default_offering=None,
    name_patterns=("{Topic} Summit {Year}", "{Place} {Topic} Forum", "{Topic} Live {Year}", "{Word} {Year}"),
    name_words=("Horizon", "Spark", "Momentum", "Gather", "Confluence", "Assembly", "Open Field"),
    headlines=(
        "{Days} of {offering}{in_place}",
        "Where the {offering} community meets",
        "Talks, workshops and people who get it",
        "Be in the room for {name}",
    ),
    leads=(
        "{name} brings together people who work on {offering} for talks, hands-on workshops and conversations that continue long after.",
        "Join speakers, makers and curious people{in_place} for {days} of ideas you can use the week after.",
        "{name} is a friendly, independent event about {offering}: practical sessions, generous breaks and good food.",
    ),
    story=(
        (
            "{name} started as an evening meetup organised by {founder}; it has grown into a sold-out event.",
            "{founder} and a team of volunteers started {name} to give the {offering} community a place to meet.",
        ),
        ("We are independent and run by volunteers; ticket money pays for the venue, captions and the speakers' travel.", "Every session is captioned and the venue is step-free."),
    ),
    features_title=("What to expect", "Why come to {name}"),
    features=(
        ("Practical talks", ("Practitioners sharing what worked, and what did not.", "No sales pitches on stage, ever.")),
        ("Hands-on workshops", ("Small groups where you build, not just listen.", "Bring a laptop and leave with something made.")),
        ("Real networking", ("Long breaks and an evening social built for conversation.", "Meet the speakers over lunch.")),
        ("Accessible", ("Step-free venue, quiet room and live captions.", "Captions, a quiet room and clear signage.")),
        ("Recordings", ("Every talk recorded for ticket holders.", "Missed a session? Watch it later.")),
    ),
    section="schedule",
    section_title=("Programme", "Schedule"),
    items=(
        Item("Doors and coffee", "Badges and breakfast.", meta="09:00"),
        Item("Opening keynote", "Where things go next.", meta="09:45"),
        Item("Workshops", "Four hands-on sessions.", meta="11:00"),
        Item("Lunch", "Local food, good talk.", meta="12:30"),
        Item("Talks", "Short, practical case studies.", meta="14:00"),
        Item("Panel and closing", "Questions from the floor.", meta="16:30"),
        Item("Evening social", "Drinks and music nearby.", meta="18:00"),
    ),
    page=("programme", "Programme & tickets"),
    page_intro=("The full programme is announced in stages; ticket holders hear first.", "Sessions, speakers and tickets for {name}."),
    cta="Get your ticket",
    cta_titles=("Don't miss {name}", "Join us"),
    cta_texts=("Early-bird tickets are limited; register your interest and we will let you know.", "Group tickets and bursaries are available; just ask."),
    form_title=("Register your interest", "Ask about tickets"),
    fields=(
        FormField("ticket", "Ticket type", "select"),
        FormField("tickets", "Number of tickets", "number"),
        FormField("company", "Organisation (optional)", "text", autocomplete="organization"),
    ),
    message_label="Anything we should know? (access needs, dietary requirements)",
    quotes=(
        "{name} was the most useful event I went to all year.",
        "{name} gets the details right: captions, good food, and time to actually talk.",
        "I met two future colleagues in the coffee queue at {name}.",
        "Practical, friendly and brilliantly organised.",
    ),
    roles=("Attendee, {since_guest}", "Speaker, {since_guest}", "Volunteer", "First-time attendee"),
    motif="ticket",
    extras=("speakers", "tickets"),
    ctas={"register": "Register now", "registration": "Register now", "tickets": "Get tickets", "ticket": "Get tickets", "rsvp": "RSVP"},
)

HOTEL = SiteKind(
    key="hotel",
    keywords={
        "hotel": 3, "b&b": 3, "bed and breakfast": 4, "guesthouse": 3, "guest house": 4, "inn": 2, "hostel": 3,
        "retreat": 3, "lodge": 3, "cabins": 3, "cabin": 3, "glamping": 3, "campsite": 3, "holiday cottage": 4,
        "holiday let": 4, "villa": 2, "resort": 3, "chalet": 3, "pousada": 3, "apartments": 1,
    },
    hue=30,
    noun="hotel",
    offerings={
        "hotel": "a boutique hotel", "b&b": "a bed and breakfast", "bed and breakfast": "a bed and breakfast",
        "guesthouse": "a guesthouse", "guest house": "a guesthouse", "hostel": "a friendly hostel",
        "retreat": "a retreat", "lodge": "a lodge", "cabins": "cabins in the woods", "cabin": "a cabin",
        "glamping": "glamping", "holiday cottage": "a holiday cottage", "villa": "a villa", "resort": "a resort",
    },
    default_offering=None,
    name_patterns=("The {Word} House", "{Word} Lodge", "{Word} Retreat", "The {Word}", "{Word} & {Word2}"),
    name_words=("Harbour", "Linden", "Cove", "Fernhill", "Marram", "Old Mill", "Stillwater", "Briar", "Pinewood", "Quay"),
    headlines=(
        "Slow down{in_place}",
        "A quiet place to stay{in_place}",
        "Rooms with a view and nowhere to be",
        "Stay a while at {name}",
    ),
    leads=(
        "{name} has {rooms} rooms, a kitchen that cooks breakfast to order and staff who know the best walks nearby.",
        "Wake up to birdsong, eat well and do as little as you like: {name} is made for unhurried days{in_place}.",
        "Book direct with {name} for the best rate, a late check-out and our own guide to the area.",
    ),
    story=(
        (
            "{founder} bought the house {years} years ago and restored it room by room.",
            "{name} has been welcoming guests for {years} years; {founder} still greets most of them at the door.",
        ),
        ("Breakfast uses eggs, bread and fruit from our neighbours.", "We run on renewable energy and ask guests to help us keep it that way."),
    ),
    features_title=("Staying with us", "Good to know"),
    features=(
        ("Breakfast included", ("Cooked to order, with local produce.", "Breakfast is served until late, because holidays.")),
        ("Free parking", ("On-site and free for guests.", "Park at the door.")),
        ("Fast wifi", ("For the emails you promised not to read.", "Reliable wifi in every room.")),
        ("Local guide", ("Our own notes on walks, pubs and beaches.", "We will point you to the places only locals know.")),
    ),
    section="rooms",
    section_title=("Rooms", "Where you will sleep"),
    items=(
        Item("Garden room", "A king-size bed and doors onto the garden.", 120, " / night", "Sleeps 2"),
        Item("Loft suite", "Beams, a roll-top bath and a sofa for reading.", 165, " / night", "Sleeps 2"),
        Item("Family room", "A double and two singles, with space to spread out.", 150, " / night", "Sleeps 4"),
        Item("Cosy double", "Small, warm and good value.", 95, " / night", "Sleeps 2"),
    ),
    page=("rooms", "Rooms & packages"),
    page_intro=("Prices are per room per night, breakfast included; book direct for the best rate.", "Every room has its own bathroom, good linen and a view."),
    cta="Book your stay",
    cta_titles=("Come and stay", "Plan your stay at {name}"),
    cta_texts=("Tell us your dates and how many of you are coming; we confirm within a day.", "Book direct for the best rate and a late check-out."),
    form_title=("Check availability", "Book your stay"),
    fields=(
        FormField("check_in", "Check-in", "date"),
        FormField("check_out", "Check-out", "date"),
        FormField("guests", "Guests", "select", ("1", "2", "3", "4", "5", "6+")),
        FormField("room", "Room", "select"),
    ),
    message_label="Anything we can arrange? (dietary needs, a special occasion)",
    quotes=(
        "We came for two nights and stayed four. {name} is a special place.",
        "The breakfast alone is worth the trip.",
        "Spotless rooms, kind hosts and the best sleep I have had in years.",
        "Every detail was thought of, down to the walking map on the pillow.",
    ),
    roles=("Stayed {since_guest}", "Anniversary weekend", "Family holiday", "Returning guest"),
    motif="bed",
    extras=("packages",),
    ctas={"booking": "Book your stay", "book": "Book your stay"},
)

NONPROFIT = SiteKind(
    key="nonprofit",
    keywords={
        "charity": 3, "nonprofit": 3, "non-profit": 3, "foundation": 2, "ngo": 3, "food bank": 4, "shelter": 2,
        "rescue": 2, "volunteer": 2, "volunteers": 2, "donate": 2, "donations": 2, "fundraising": 2, "cause": 1,
        "community group": 4, "trust": 1, "association": 2, "mission": 1,
    },
    hue=120,
    noun="charity",
    offerings={
        "animal rescue": "animal rescue", "rescue": "animal rescue", "dog rescue": "dog rescue",
        "food bank": "emergency food parcels", "homeless": "help for people sleeping rough",
        "homelessness": "help for people sleeping rough", "refugees": "refugee support",
        "mental health": "mental health support", "literacy": "reading support", "education": "education projects",
        "climate": "climate action", "ocean": "ocean conservation", "wildlife": "wildlife conservation",
        "trees": "tree planting", "youth": "opportunities for young people", "elderly": "support for older people",
        "loneliness": "befriending", "water": "clean water projects", "cancer": "cancer support",
        "housing": "housing advice", "arts": "community arts", "carers": "support for carers", "young carers": "support for young carers",
        "veterans": "support for veterans", "autism": "autism support", "dementia": "dementia care",
        "hospice": "end-of-life care", "sport": "grassroots sport",
    },
    default_offering=None,
    name_patterns=("{Place} {Word} Trust", "The {Word} Foundation", "{Word} Project", "Friends of {Place}"),
    name_words=("Open Door", "Lighthouse", "Common Ground", "Kindling", "Harbour", "Bridge", "Hopeful", "Greenway"),
    headlines=(
        "{Offering}{in_place}, powered by people like you",
        "Small actions, real change{in_place}",
        "Every gift goes to work straight away",
        "Help us reach the next person who needs it",
    ),
    leads=(
        "{name} runs {offering}{in_place}, with volunteers and the support of people like you.",
        "Last year {name} helped thousands of people, and every pound, hour and shared post made it possible.",
        "{name} is a registered charity; we spend most of every donation directly on the work.",
    ),
    story=(
        (
            "{founder} started {name} {years} years ago with a few friends and a borrowed van.",
            "{name} began when {founder} saw a need nobody was meeting and decided to meet it.",
        ),
        ("Today {volunteers} volunteers give their time every month.", "We publish our accounts every year so you can see where the money goes."),
    ),
    features_title=("How you can help", "Get involved"),
    features=(
        ("Give monthly", ("A regular gift lets us plan ahead.", "Monthly donors keep the lights on.")),
        ("Volunteer", ("An hour a week makes a real difference.", "Join {volunteers} volunteers already helping.")),
        ("Fundraise", ("Run, bake or climb for {name}.", "We will send you a fundraising pack.")),
        ("Spread the word", ("Share our work with one friend today.", "Tell people what we do; it matters more than you think.")),
    ),
    section="impact",
    section_title=("Our impact", "What your support made possible"),
    items=(
        Item("{stat_a}", "people helped last year"),
        Item("{volunteers}", "volunteers giving their time"),
        Item("{stat_b}p", "of every pound spent on the work"),
    ),
    page=("donate", "Donate"),
    page_intro=("Choose an amount; every gift to {name} goes to work straight away.", "One-off or monthly, every donation makes a difference."),
    cta="Donate",
    cta_titles=("Make a difference today", "Stand with {name}"),
    cta_texts=("A gift of any size helps; so does an hour of your time.", "Give, volunteer or share: every way of helping counts."),
    form_title=("Get involved", "Tell us how you would like to help"),
    fields=(
        FormField("help", "How would you like to help?", "select", ("Donate", "Volunteer", "Fundraise", "Partner with us", "Something else")),
        FormField("availability", "When are you available? (volunteers)", "text"),
    ),
    message_label="Anything else you would like to tell us?",
    quotes=(
        "Volunteering with {name} is the best thing I do all week.",
        "When we needed help, {name} was there the same day.",
        "You can see exactly where your money goes. That is rare.",
        "A small team doing enormous good.",
    ),
    roles=("Volunteer since {since_guest}", "Monthly donor", "Supported by {name}", "Fundraiser"),
    motif="heart",
    extras=("stats", "donate"),
    stats=(("{stat_a}", "people helped last year"), ("{volunteers}", "volunteers"), ("{stat_b}p", "of every pound spent on the work")),
    ctas={"donate": "Donate", "donation": "Donate", "volunteer": "Volunteer with us", "fundraise": "Fundraise for us"},
)

EDUCATION = SiteKind(
    key="education",
    keywords={
        "school": 3, "tutor": 3, "tutoring": 3, "tuition": 3, "academy": 3, "course": 2, "courses": 2,
        "camp": 3, "summer camp": 4, "nursery": 3, "preschool": 3, "kindergarten": 3, "lessons": 2,
        "language school": 4, "driving school": 4, "music lessons": 4, "coding bootcamp": 4, "classes for kids": 4,
        "teacher": 2, "training": 1, "university": 3, "college": 3, "escola": 3, "escuela": 3,
    },
    hue=45,
    noun="school",
    offerings={
        "maths": "maths", "math": "math", "english": "English", "science": "science", "spanish": "Spanish",
        "french": "French", "german": "German", "piano": "piano", "guitar": "guitar", "music": "music",
        "coding": "coding", "programming": "programming", "driving": "driving lessons", "art": "art",
        "summer camp": "summer camp", "camp": "camp", "surf": "surfing", "swimming": "swimming",
        "language": "languages", "languages": "languages", "gcse": "GCSE revision", "sat": "SAT preparation",
        "ielts": "IELTS preparation", "nursery": "early years", "preschool": "early years", "chess": "chess",
        "drama": "drama", "ballet": "ballet", "cooking": "cooking", "portuguese": "Portuguese", "italian": "Italian",
        "japanese": "Japanese", "robotics": "robotics", "outdoor": "outdoor learning",
    },
    default_offering=None,
    name_patterns=("{Place} {Offering} Academy", "{Word} Learning", "The {Word} School", "{Word} {Offering}"),
    name_words=("Bright Sparks", "Oakwood", "Little Acorns", "Northstar", "Compass", "Lighthouse", "Pathway", "Quill"),
    headlines=(
        "{Offering}, taught with patience{in_place}",
        "Confidence first, results follow",
        "Get better at {offering}, week by week",
        "Small groups, big progress",
    ),
    leads=(
        "{name} teaches {offering} in small groups and one-to-one{in_place}, with qualified teachers and progress you can see.",
        "At {name}, every learner gets a plan, regular feedback and a teacher who knows them by name.",
        "Term-time classes, holiday courses and online sessions: {name} fits learning around family life.",
    ),
    story=(
        (
            "{founder} started {name} {years} years ago after a career in the classroom.",
            "{name} began with {founder} teaching three students at a kitchen table.",
        ),
        ("All our teachers are qualified and background-checked.", "Groups are small, so no one gets left behind or held back."),
    ),
    features_title=("Why families choose {name}", "How we teach"),
    features=(
        ("Small groups", ("Never more than eight learners.", "Groups small enough to ask anything.")),
        ("Qualified teachers", ("Experienced, checked and kind.", "Teachers who love {offering}.")),
        ("Regular feedback", ("A short report after every block.", "Parents see progress every term.")),
        ("Flexible", ("In person or online.", "Weekday, weekend and holiday options.")),
    ),
    section="courses",
    section_title=("Courses", "Classes and courses"),
    items=(
        Item("Taster session", "Meet a teacher and try a class.", 0, meta="Free"),
        Item("Weekly group", "One hour a week in a small group.", 18, " / session", "Term time"),
        Item("One-to-one", "Tailored lessons at your pace.", 40, " / hour"),
        Item("Holiday course", "Five mornings of focused learning.", 150, " / week", "School holidays"),
    ),
    page=("courses", "Courses"),
    page_intro=("Start with a free taster and we will suggest the right course.", "Courses run all year; holiday courses fill up fast."),
    cta="Book a free taster",
    cta_titles=("Come and try a class", "Start learning with {name}"),
    cta_texts=("Tell us about the learner and we will suggest a group or a teacher.", "Your first session is free."),
    form_title=("Book a free taster", "Ask about a course"),
    fields=(
        FormField("course", "Course", "select"),
        FormField("learner_age", "Learner's age or level", "text"),
        FormField("start", "When would you like to start?", "text"),
    ),
    message_label="Anything we should know about the learner?",
    quotes=(
        "My daughter went from dreading lessons to asking for extra homework.",
        "The teachers at {name} are patient, clear and genuinely encouraging.",
        "Small groups made all the difference.",
        "Worth every penny; the progress was obvious within a term.",
    ),
    roles=("Parent", "Adult learner", "Student", "Parent of two learners"),
    motif="book",
    extras=("faq",),
    faq=(("What ages do you teach?", "Most courses are for ages 5 to adult; ask us about yours."), ("Can we try before we commit?", "Yes. Your first session is a free taster.")),
    ctas={"register": "Register now", "enrol": "Enrol now", "enroll": "Enroll now", "booking": "Book a place"},
)

REAL_ESTATE = SiteKind(
    key="real_estate",
    keywords={
        "estate agent": 4, "estate agents": 4, "real estate": 4, "realtor": 3, "property": 2, "properties": 2,
        "lettings": 3, "letting agent": 4, "homes for sale": 4, "property management": 4, "realty": 3,
        "imobiliária": 3, "inmobiliaria": 3, "apartments for sale": 4, "mortgage": 2,
    },
    hue=205,
    noun="estate agent",
    offerings={
        "lettings": "lettings", "rentals": "rentals", "rent": "rentals", "sales": "sales", "luxury": "luxury homes",
        "commercial": "commercial property", "apartments": "apartments", "flats": "flats", "homes": "homes",
        "new builds": "new homes", "farms": "country property",
    },
    default_offering="homes",
    name_patterns=("{Surname} & {Surname2}", "{Place} Homes", "{Word} Estates", "{Surname} Property"),
    name_words=("Keystone", "Hearth", "Lantern", "Crescent", "Meridian", "Arbor"),
    headlines=(
        "Find your next home{in_place}",
        "Selling made simple, start to finish",
        "Local agents who know every street",
        "{Offering} people are happy to come home to",
    ),
    leads=(
        "{name} sells and lets {offering}{in_place}, with honest valuations and agents who pick up the phone.",
        "Thinking of moving? {name} will value your home for free and tell you what it will really sell for.",
        "For {years} years, {name} has matched buyers and tenants with the right home, street by street.",
    ),
    story=(
        (
            "{founder} founded {name} {years} years ago after twenty years in the business.",
            "{name} is an independent agency of {team_size} people, all of whom live locally.",
        ),
        ("We are members of the relevant property redress scheme and protect every client's money.", "We would rather tell you the truth about a price than win an instruction."),
    ),
    features_title=("Why move with {name}", "How we work"),
    features=(
        ("Honest valuations", ("Prices based on what sells, not what flatters.", "A realistic price from the first visit.")),
        ("Local knowledge", ("We know the schools, the streets and the shortcuts.", "Agents who live where they sell.")),
        ("Great photography", ("Professional pictures and floor plans for every home.", "Listings that show homes at their best.")),
        ("Always reachable", ("Evening and weekend viewings.", "Updates without chasing.")),
    ),
    section="listings",
    section_title=("Featured homes", "Latest listings"),
    items=(
        Item("Victorian terrace", "Original features, a sunny garden and a short walk to the park.", 425000, meta="3 bed · 1 bath"),
        Item("Riverside apartment", "Balcony views, lift and parking.", 295000, meta="2 bed · 2 bath"),
        Item("Family semi", "A big kitchen, a bigger garden and good schools nearby.", 385000, meta="4 bed · 2 bath"),
        Item("Studio flat", "Bright, modern and close to the station.", 1100, " / month", "Studio · to let"),
        Item("Cottage", "Stone walls, log burner and fields behind.", 465000, meta="3 bed · 2 bath"),
        Item("Townhouse", "Three floors, roof terrace and off-street parking.", 520000, meta="4 bed · 3 bath"),
    ),
    page=("listings", "Listings"),
    page_intro=("A selection of homes on our books right now; call {name} for viewings.", "New homes arrive every week; register to hear first."),
    cta="Book a free valuation",
    cta_titles=("Thinking of moving?", "Let's find your next home"),
    cta_texts=("Tell us what you are looking for or what you are selling; we reply the same day.", "A free, no-obligation valuation from someone who knows your street."),
    form_title=("Tell us what you need", "Book a valuation or viewing"),
    fields=(
        FormField("looking_to", "I am looking to", "select", ("Buy", "Sell", "Rent", "Let my property")),
        FormField("budget", "Budget or asking price", "text"),
        FormField("area", "Area", "text"),
    ),
    message_label="Tell us more (bedrooms, must-haves, timing)",
    quotes=(
        "{name} sold our house in a week, for more than we hoped.",
        "Honest, responsive and genuinely local.",
        "They found us a flat before it even hit the websites.",
        "The valuation was spot on and the updates never stopped.",
    ),
    roles=("Sold {since_guest}", "First-time buyer", "Landlord", "Tenant"),
    motif="house",
    ctas={"valuation": "Book a free valuation", "viewing": "Book a viewing"},
)

BLOG = SiteKind(
    key="blog",
    keywords={
        "blog": 3, "journal": 2, "magazine": 3, "newsletter": 3, "podcast": 3, "column": 2, "essays": 2,
        "publication": 3, "zine": 3, "vlog": 3, "writer": 2, "author": 2, "recipes": 1, "stories": 1,
    },
    hue=38,
    noun="publication",
    offerings={},
    default_offering=None,
    name_patterns=("The {Topic} Journal", "{Topic} Notes", "{Word} {Topic}", "The {Topic} Letter"),
    name_words=("Weekly", "Field", "Slow", "Plain", "Margin", "Open"),
    headlines=(
        "Honest writing about {offering}",
        "{Offering}, one story at a time",
        "A weekly read about {offering}",
        "Thoughtful pieces for curious people",
    ),
    leads=(
        "{name} publishes essays, guides and interviews about {offering}, with no paywall and no noise.",
        "New pieces every week from {name}: practical, personal and written to be read to the end.",
        "{name} is an independent publication about {offering}, written by people who do it every day.",
    ),
    story=(
        (
            "{founder} started {name} {years} years ago as a weekly email to twelve friends.",
            "{name} began as {founder}'s notebook and grew into a small publication with thousands of readers.",
        ),
        ("We take no advertising; readers and members keep us going.", "Every piece is edited, fact-checked and written for real people."),
    ),
    features_title=("Latest pieces", "Recent writing"),
    features=(
        ("A beginner's guide", ("Everything we wish we had known on day one.", "Start here if you are new to {offering}.")),
        ("Ten things we learned this year", ("The good, the bad and the surprising.", "A year of {offering}, in ten lessons.")),
        ("Reader questions", ("Your best questions, answered.", "From this month's inbox.")),
        ("In conversation", ("Interviews with people doing interesting work.", "Long talks with people we admire.")),
    ),
    section="articles",
    section_title=("Latest articles", "From the archive"),
    items=(
        Item("A beginner's guide to {offering}", "Where to start, and what to ignore.", meta="8 min read"),
        Item("What a year of {offering} taught me", "Ten honest lessons.", meta="6 min read"),
        Item("The tools we actually use", "An unsponsored list.", meta="5 min read"),
        Item("Reader questions, answered", "This month's best.", meta="7 min read"),
    ),
    page=("articles", "Articles"),
    page_intro=("Everything {name} has published, newest first.", "The archive, sorted by date."),
    cta="Subscribe",
    cta_titles=("Get the next issue", "Read {name} by email"),
    cta_texts=("One email a week, easy to unsubscribe.", "Join the readers who get every piece first."),
    form_title=("Write to us", "Subscribe or say hello"),
    fields=(FormField("topic", "What is it about?", "select", ("Subscribing", "A pitch", "Feedback", "Something else")),),
    message_label="Your message, pitch or question",
    quotes=(
        "The one newsletter I read the day it arrives.",
        "{name} taught me more about {offering} than any course.",
        "Thoughtful, funny and always useful.",
    ),
    roles=("Reader since {since_guest}", "Member", "Subscriber"),
    motif="page",
    ctas={"subscribe": "Subscribe"},
)

GENERIC = SiteKind(
    key="generic",
    keywords={},
    hue=250,
    noun="",
    offerings={},
    default_offering=None,
    name_patterns=("{Word} {Topic}", "{Place} {Topic}", "{Word} {Topic}"),
    name_words=("Northgate", "Little Oak", "Bluebell", "Fieldhouse", "Kingfisher", "Harbourside", "Old Town", "Greenway"),
    headlines=(
        "Welcome to {name}",
        "Made with care{in_place}",
        "Glad you found us",
    ),
    leads=(
        "{description_sentence} Take a look around, and get in touch if you have a question.",
        "{description_sentence} We would love to hear from you.",
    ),
    story=(
        ("{founder} started {name} {years} years ago, and still answers most messages personally.", "{name} is a small team that cares about doing things properly."),
        ("We keep things simple, honest and personal.", "Ask us anything; we reply within a day or two."),
    ),
    features_title=("What we offer", "Why {name}"),
    features=(
        ("Personal", ("You deal with real people.", "A small team that knows its customers.")),
        ("Reliable", ("We do what we say.", "Promises kept, every time.")),
        ("Responsive", ("Replies within a day or two.", "Quick answers to every message.")),
    ),
    section="highlights",
    section_title=("Good to know", "At a glance"),
    items=(),
    page=("services", "What we do"),
    page_intro=("Here is what {name} offers; ask us about anything that is not listed.", "More about {name} and what we do."),
    cta="Get in touch",
    cta_titles=("Say hello", "Questions? Ask {name}"),
    cta_texts=("Send a message and we will reply soon.", "We read every message ourselves."),
    form_title=("Get in touch", "Send us a message"),
    fields=(),
    message_label="Your message",
    quotes=("Friendly, quick and helpful. Exactly what we needed.", "{name} went out of their way for us.", "Great people to deal with."),
    roles=("Customer", "Customer since {since_guest}", "Neighbour"),
    motif="spark",
)

KINDS: tuple[SiteKind, ...] = (
    RESTAURANT, TRADES, CLINIC, WELLNESS, SALON, LEGAL, ACCOUNTING, PHOTOGRAPHY, DESIGN, SAAS, SHOP, EVENT, HOTEL,
    NONPROFIT, EDUCATION, REAL_ESTATE, BLOG, GENERIC,
)
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}
DEFAULT_KIND = GENERIC
DAYS = _DAYS
