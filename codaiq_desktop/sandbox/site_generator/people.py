"""Names for the people a site quotes and introduces, fitting the place when it is known.

Pools are large enough that two sites rarely share a reviewer: a name is a first name and a
surname picked by the prompt's hash, never a fixed pair.
"""

from __future__ import annotations

_POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "uk": (
        ("Amelia", "Oliver", "Priya", "Callum", "Hannah", "Tom", "Zainab", "Rory", "Isla", "Ben", "Niamh", "Marcus",
         "Ellie", "Dev", "Grace", "Owen", "Fatima", "Jack", "Lucy", "Sam"),
        ("Hughes", "Okafor", "Patel", "Whitfield", "Reid", "Shaw", "Begum", "Doyle", "Campbell", "Fletcher",
         "Kaur", "Brennan", "Marsh", "Iqbal", "Turner", "Lloyd", "Adeyemi", "Walsh", "Pearson", "Ellis"),
    ),
    "us": (
        ("Maya", "Jordan", "Ava", "Diego", "Chloe", "Marcus", "Leah", "Tyler", "Aisha", "Ethan", "Sofia", "Noah",
         "Grace", "Caleb", "Mei", "Andre", "Riley", "Nina", "Luis", "Hannah"),
        ("Johnson", "Nguyen", "Rivera", "Brooks", "Chen", "Washington", "Kowalski", "Ortiz", "Bennett", "Park",
         "Coleman", "Hayes", "Ramirez", "Sullivan", "Kim", "Foster", "Greene", "Morales", "Price", "Walker"),
    ),
    "pt": (
        ("Inês", "João", "Beatriz", "Tiago", "Mariana", "Rui", "Catarina", "Pedro", "Sofia", "Miguel", "Leonor",
         "André", "Rita", "Duarte", "Marta", "Nuno"),
        ("Carvalho", "Silva", "Ferreira", "Costa", "Almeida", "Sousa", "Pereira", "Rodrigues", "Mendes", "Lopes",
         "Marques", "Ribeiro", "Gomes", "Martins"),
    ),
    "es": (
        ("Lucía", "Javier", "Carmen", "Pablo", "Elena", "Diego", "Marta", "Álvaro", "Sara", "Hugo", "Nuria", "Iker"),
        ("García", "Martínez", "López", "Sánchez", "Romero", "Navarro", "Torres", "Ruiz", "Morales", "Ortega",
         "Castillo", "Vidal"),
    ),
    "fr": (
        ("Camille", "Louis", "Chloé", "Hugo", "Léa", "Julien", "Manon", "Antoine", "Inès", "Mathis", "Claire", "Yanis"),
        ("Martin", "Bernard", "Dubois", "Laurent", "Moreau", "Girard", "Lefèvre", "Roux", "Fournier", "Mercier",
         "Bonnet", "Chevalier"),
    ),
    "de": (
        ("Lena", "Jonas", "Mia", "Felix", "Hannah", "Lukas", "Emma", "Paul", "Clara", "Jan", "Leonie", "Tobias"),
        ("Schmidt", "Becker", "Wagner", "Hoffmann", "Schulz", "Koch", "Richter", "Wolf", "Neumann", "Braun",
         "Krüger", "Vogel"),
    ),
    "it": (
        ("Giulia", "Marco", "Chiara", "Luca", "Francesca", "Matteo", "Sara", "Davide", "Elisa", "Andrea", "Marta",
         "Paolo"),
        ("Rossi", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Conti", "Esposito", "Bruno",
         "Gallo", "Fontana"),
    ),
    "nl": (
        ("Sanne", "Daan", "Lotte", "Bram", "Femke", "Thijs", "Noor", "Ruben", "Eva", "Jesse"),
        ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vos"),
    ),
    "nordic": (
        ("Freja", "Emil", "Ida", "Magnus", "Astrid", "Oskar", "Maja", "Lars", "Sofie", "Anders"),
        ("Nielsen", "Andersson", "Larsen", "Johansson", "Berg", "Lindqvist", "Holm", "Eriksson", "Dahl", "Lund"),
    ),
    "jp": (
        ("Yui", "Haruto", "Aoi", "Ren", "Sakura", "Kenji", "Hina", "Sota", "Mio", "Daiki"),
        ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato"),
    ),
    "intl": (
        ("Amara", "Noah", "Leila", "Mateo", "Hana", "Ravi", "Elena", "Kofi", "Ines", "Tomas", "Yara", "Arjun",
         "Zoe", "Kai", "Nadia", "Felix", "Anika", "Omar", "Lina", "Sami"),
        ("Okafor", "Lindqvist", "Haddad", "Moreno", "Sato", "Raman", "Novak", "Mensah", "Costa", "Berg", "Farah",
         "Iyer", "Keller", "Tanaka", "Kowalski", "Rahman", "Duarte", "Aziz", "Petrov", "Osei"),
    ),
}


def person(pool: str | None, number: int) -> str:
    """A full name from ``pool`` (``None``: a mixed international pool), chosen by ``number``."""
    firsts, lasts = _POOLS.get(pool or "intl", _POOLS["intl"])
    return f"{firsts[number % len(firsts)]} {lasts[(number // len(firsts) + number // 7) % len(lasts)]}"


def first_name(pool: str | None, number: int) -> str:
    firsts, _ = _POOLS.get(pool or "intl", _POOLS["intl"])
    return firsts[number % len(firsts)]


def surname(pool: str | None, number: int) -> str:
    _, lasts = _POOLS.get(pool or "intl", _POOLS["intl"])
    return lasts[number % len(lasts)]
