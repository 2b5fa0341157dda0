"""A search corpus that looks like a clinic's vault, generated from a seed (no client data).

Text follows Zipf's law over a vocabulary of about 40,000 words (function words first,
then legal and country-conditions words in English, French and Spanish over the next few
thousand ranks, then made-up words), so some words are in every document and most in a few; people are named in several languages and scripts
(Spanish, French, Arabic, Persian, Somali, Tamil, Ukrainian in Cyrillic, Vietnamese,
Turkish, Haitian Creole, Chinese); file numbers have the real formats; a few documents
are long country-conditions reports (about a million characters each). The queries are
what people type into the instant search: names and their prefixes as typed, file
numbers, words common and rare, phrases, names without their accents, and misses.
Used by benchmarks/search.py and by the test that search results do not change.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate

FUNCTION_WORDS = """
the of and to a in is that for it as was with be by on not he i this are or his from at which
but have an they you were her she there been one all we their has would when if so no will more
can out up who them some into my me him your our its than then also after before because about
le la les de des du un une et en que qui dans pour pas sur au aux par est il elle ne se ce son sa
ses avec plus ou mais nous vous leur été être avait était cette tout comme sans
el los las del y una por con su para es al lo como más pero sus ya este porque esta entre cuando
muy sin sobre también hasta hay donde quien desde nos durante todos uno les ni contra otros ese
""".split()

DOMAIN_WORDS = """
hardship establishment employment persecution police cartel extortion school church volunteer
medical psychological report country conditions threat family removal deferral asylum claim
refugee protection hearing tribunal member decision reasons credibility identity passport
affidavit declaration witness evidence translation interpreter counsel minister officer
risk return torture detention arrest violence gang militia army soldier checkpoint border
smuggler visa permit sponsor spouse child children daughter son mother father brother sister
uncle aunt grandmother village city province district region capital neighbourhood market
hospital clinic doctor nurse diagnosis trauma anxiety depression scar injury wound treatment
letter support community pastor imam priest mosque temple employer teacher landlord friend
bank account salary rent lease tax return income certificate birth marriage divorce death
document original copy stamp seal signature notary embassy consulate ministry interior
justice court judge lawyer appeal review judicial stay motion application humanitarian
compassionate interest best hardship integration language course diploma training job
threatened beaten kidnapped ransom murdered disappeared fled escaped hid crossed arrived
journey route boat truck bus airport flight ticket smuggled paid debt loan collector
political opinion party member rally protest journalist activist union student leader
religion christian muslim ahmadi evangelical catholic orthodox sunni shia hindu sikh
ethnic minority tribe clan caste gender sexual orientation transgender domestic abuse
forced marriage honour crime female genital mutilation trafficking labour exploitation
state protection internal flight alternative nexus convention ground agent persecutor
réfugié protection audience commissaire décision motifs crédibilité identité témoin preuve
traduction interprète avocat ministre agent risque retour torture détention arrestation
violence famille enfant fille fils mère père frère sœur village ville quartier hôpital
médecin blessure traitement lettre soutien communauté église employeur enseignant
refugiado protección audiencia decisión credibilidad identidad testigo prueba traducción
abogado riesgo regreso tortura detención violencia pandilla familia niño hija hijo madre
padre hermano hermana pueblo ciudad barrio hospital médico herida tratamiento carta apoyo
comunidad iglesia empleador maestro amenaza extorsión secuestro denuncia policía fiscalía
""".split()

FIRST_NAMES = """
José María Juan Carmen Luis Guadalupe Jesús Rosa Miguel Ana Francisco Lucía Alejandro Sofía
Élodie Benoît François Hélène Jérôme Clémence Gaëlle Noël Anaïs Loïc Mathéo Léa
Mohammed Fatima Ahmed Aisha Omar Khadija Youssef Mariam Hassan Layla Ibrahim Noor
Reza Zahra Mehdi Parisa Hossein Shirin Dariush Nasrin Farhad Leila Kourosh Maryam
Abdi Hodan Mahad Sahra Farah Ayaan Liban Hibaaq Cabdi Faadumo
Sivakumar Tharshini Kajan Nirosha Prabhakaran Vasuki Thayaparan Kalaivani
Олена Дмитро Оксана Андрій Ірина Тарас Наталія Богдан Юлія Сергій
Nguyễn Thị Văn Hùng Thu Hương Đức Phương Quốc Lan
Çağrı Gülşen Oğuz Şule Ömer Ayşe Mustafa Elif Barış Zeynep
Wadson Roseline Jean-Baptiste Mackenson Fabiola Wilner Islande Dieunel
伟 芳 娜 敏 静 丽 强 磊 军 洋
""".split()

LAST_NAMES = """
García Hernández López Martínez González Rodríguez Pérez Sánchez Ramírez Flores Cruz Márquez
Dubois Lefèvre Moreau Girard Bélanger Côté Gagnon Lévesque Bouchard Pelletier
Al-Hassan Haddad Khoury Mansour Nasser Saleh Abdullah Al-Amin Rahman Qureshi
Hosseini Rezaei Ahmadi Karimi Moradi Jafari Mohammadi Rostami Sadeghi Tehrani
Warsame Mohamud Jama Farah Hirsi Egal Abdirahman Omar Nur Dahir
Rajendran Sivanesan Thangarajah Kanagaratnam Jeyakumar Selvarajah Murugesu
Коваленко Шевченко Бондаренко Ткаченко Кравченко Олійник Мельник Поліщук
Trần Lê Phạm Hoàng Huỳnh Võ Đặng Bùi
Yılmaz Kaya Demir Şahin Çelik Öztürk Aydın Arslan
Joseph Pierre Jean-Louis Saint-Fleur Désir Augustin Charles Étienne
王 李 张 刘 陈 杨 黄 赵
""".split()

COUNTRIES = ("Honduras", "El Salvador", "Mexico", "Haiti", "Iran", "Afghanistan", "Somalia", "Sri Lanka",
             "Ukraine", "Türkiye", "Nigeria", "Colombia", "Venezuela", "China", "Viet Nam", "Eritrea")
SYLLABLES = ("ka ri to ne sa mo lu vi de ra pe ko ti na shi yo ma be go fu ze la ho nu ce "
             "da ke mi so wa gu ji po te ru qa xi ba").split()


@dataclass
class Corpus:
    clients: list[dict] = field(default_factory=list)  # {ref, name, aliases, uci, country, narrative}
    matters: list[dict] = field(default_factory=list)  # {ref, client, title, irb, fc, counsel, adverse}
    documents: list[dict] = field(default_factory=list)  # {ref, matter, title, text}
    letters: list[dict] = field(default_factory=list)  # {ref, matter, writer, organisation, quote}
    queries: list[str] = field(default_factory=list)
    query_kinds: list[str] = field(default_factory=list)  # "name", "file number", "word"... of each query


class _Zipf:
    """Words drawn by rank r with probability proportional to 1 / r**s."""

    def __init__(self, vocabulary: list[str], s: float) -> None:
        self.words = vocabulary
        self.cumulative = list(accumulate(1.0 / (r ** s) for r in range(1, len(vocabulary) + 1)))

    def take(self, rng: random.Random, n: int) -> list[str]:
        top = self.cumulative[-1]
        return [self.words[bisect.bisect_left(self.cumulative, rng.random() * top)] for _ in range(n)]


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    """Function words first (the most frequent, never searched), legal and country-conditions
    words spread over the next few thousand ranks, made-up words for the rest."""
    head = list(dict.fromkeys(FUNCTION_WORDS))
    rng.shuffle(head)
    domain = [w for w in dict.fromkeys(DOMAIN_WORDS) if w not in head]
    made: set[str] = set()
    while len(head) + len(domain) + len(made) < size:
        made.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 5))))
    rest = sorted(made)
    rng.shuffle(rest)
    for word in domain:  # ranks 20 to 4,000 above the function words, denser at the top
        rest.insert(int(20 + 3980 * rng.random() ** 2), word)
    return head + rest


def _name(rng: random.Random) -> str:
    given = rng.choice(FIRST_NAMES)
    if rng.random() < 0.3:
        given += " " + rng.choice(FIRST_NAMES)
    return f"{given} {rng.choice(LAST_NAMES)}"


def _text(rng: random.Random, zipf: _Zipf, words: int, names: list[str]) -> str:
    """Sentences of Zipf words, with a name, a date or a number now and then."""
    out: list[str] = []
    body = zipf.take(rng, words)
    for i in range(0, len(body), 14):
        sentence = body[i:i + 14]
        roll = rng.random()
        if roll < 0.15 and names:
            sentence.insert(rng.randrange(len(sentence) + 1), rng.choice(names))
        elif roll < 0.2:
            sentence.append(f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{rng.randint(2005, 2024)}")
        out.append(" ".join(sentence).capitalize() + ".")
    return " ".join(out)


def _length(rng: random.Random) -> int:
    """Words in an ordinary document: most a page or two, some a few dozen pages."""
    return min(60_000, max(40, int(rng.lognormvariate(6.3, 1.0))))


def build(docs: int, *, seed: int = 20, long_docs: int = 5, long_words: int = 150_000) -> Corpus:
    """A corpus with `docs` documents, a fifth as many clients, and matters and letters to match."""
    rng = random.Random(seed)
    zipf = _Zipf(_vocabulary(rng, 40_000), 1.07)
    corpus = Corpus()
    n_clients = max(5, docs // 5)
    for c in range(n_clients):
        name = _name(rng)
        aliases = [_name(rng)] if rng.random() < 0.2 else []
        uci = f"{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}" if rng.random() < 0.7 else None
        corpus.clients.append({"ref": f"c-{c:05d}", "name": name, "aliases": aliases, "uci": uci,
                               "country": rng.choice(COUNTRIES),
                               "narrative": _text(rng, zipf, rng.randint(50, 400), [name])})
    for m in range(n_clients * 3 // 2):
        client = corpus.clients[m % n_clients]
        corpus.matters.append({
            "ref": f"m-{m:05d}", "client": client["ref"], "title": f"{client['name']} refugee claim",
            "irb": f"{rng.choice(('TB', 'MB', 'VB'))}{rng.randint(1, 9)}-{rng.randint(10000, 99999)}",
            "fc": f"IMM-{rng.randint(1, 9999)}-{rng.randint(18, 24)}" if rng.random() < 0.3 else None,
            "counsel": _name(rng), "adverse": _name(rng) if rng.random() < 0.3 else None})
    for d in range(docs):
        matter = corpus.matters[d % len(corpus.matters)]
        client_name = corpus.clients[(d % len(corpus.matters)) % n_clients]["name"]
        words = long_words if d < long_docs else _length(rng)
        title = " ".join(zipf.take(rng, rng.randint(2, 6))).capitalize()
        corpus.documents.append({"ref": f"d-{d:06d}", "matter": matter["ref"], "title": title,
                                 "text": _text(rng, zipf, words, [client_name, _name(rng)])})
    for x in range(max(2, docs // 20)):
        matter = corpus.matters[x % len(corpus.matters)]
        corpus.letters.append({"ref": f"l-{x:05d}", "matter": matter["ref"], "writer": _name(rng),
                               "organisation": " ".join(zipf.take(rng, 2)).title(),
                               "quote": _text(rng, zipf, rng.randint(10, 40), [])})
    corpus.query_kinds, corpus.queries = (list(x) for x in zip(*_queries(rng, corpus, zipf)))
    return corpus


def _fold(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _queries(rng: random.Random, corpus: Corpus, zipf: _Zipf) -> Iterator[tuple[str, str]]:
    """(kind, query) as people type them; names also as their prefixes, as the instant search
    sees them keystroke by keystroke."""
    people = [c["name"] for c in rng.sample(corpus.clients, 12)]
    for name in people[:6]:
        yield "first keystroke", name[:1]
        yield from (("name", name[:n]) for n in (2, 3, 5, len(name)))
    yield from (("name", n) for n in people[6:])
    yield from (("name", _fold(n)) for n in people[6:9])  # typed without the accents
    for client in rng.sample([c for c in corpus.clients if c["uci"]], 4):
        yield "file number", client["uci"]
        yield "file number", client["uci"][:6]
    for matter in rng.sample(corpus.matters, 4):
        yield "file number", matter["irb"]
    yield from (("file number", m["fc"]) for m in [m for m in corpus.matters if m["fc"]][:4])
    domain = sorted(set(DOMAIN_WORDS) - set(FUNCTION_WORDS))
    yield from (("word", w) for w in rng.sample(domain, 16))  # a word of the case: "passport", "témoin"
    yield from (("word", w) for w in zipf.words[5000:5008])  # in a handful of documents
    for _ in range(10):  # two or three words of the case, in any order
        yield "several words", " ".join(rng.sample(domain, rng.randint(2, 3)))
    yield from (("several words", q) for q in ("country conditions", "psychological report", "risk of return",
                                                "garcía márquez", "xyzzy nothing"))
    yield from (("word", q) for q in ("police", "polic", "hardsh", "Garcia", "d-000042"))
