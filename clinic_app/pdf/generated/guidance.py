"""A printable guide for people writing a support letter, in English, French or Spanish.

Letter writers are employers, teachers, neighbours and relatives, many of whom read
Spanish better than English. English and French go through the usual catalogs; the
Spanish text lives here as data, keyed by the English text, because Haven's interface
has no Spanish catalog. The sheet names no client: it is handed out freely.
"""

from __future__ import annotations

from clinic_app.i18n import N_, translate_for
from clinic_app.pdf.generated.base import Doc

LANGUAGES = ("en", "fr", "es")

TITLE = N_("Writing a support letter: a guide for letter writers")
SHEET: tuple[tuple[str, str], ...] = (
    ("p", N_("Thank you for agreeing to write a letter. Decision makers read many letters: a short, honest "
             "letter about what you have seen yourself carries the most weight.")),
    ("h", N_("Please include")),
    ("b", N_("Your full name, address, telephone number and email.")),
    ("b", N_("Your status in Canada (citizen, permanent resident, other) and your occupation.")),
    ("b", N_("How you know the person, since when, and how often you see them.")),
    ("b", N_("Concrete examples of what you have seen: work, volunteering, help given to others, family life.")),
    ("b", N_("If you are an employer: the position, the start date, the hours and the pay.")),
    ("b", N_("The date, and your signature in ink or a verified electronic signature.")),
    ("h", N_("Please avoid")),
    ("b", N_("Repeating what you only heard from others, or guessing about events you did not see.")),
    ("b", N_("Exaggerating: a decision maker who doubts one sentence may doubt the whole letter.")),
    ("b", N_("Copying a model letter or another writer's words.")),
    ("h", N_("Practical points")),
    ("b", N_("Write in the language you are most comfortable in; the clinic will arrange a translation.")),
    ("b", N_("Attach a copy of a piece of identification showing your signature, if you can.")),
    ("b", N_("Give the letter to the clinic, not to anyone else, and keep a copy.")),
    ("h", N_("Your privacy")),
    ("p", N_("Your letter will be filed with a Canadian immigration authority or tribunal and used only for "
             "this case. Do not include information about other people without their permission.")),
)

SPANISH: dict[str, str] = {
    TITLE: "Cómo escribir una carta de apoyo: guía para quien la escribe",
    SHEET[0][1]: "Gracias por aceptar escribir una carta. Quienes deciden leen muchas cartas: una carta breve y "
                 "honesta sobre lo que usted ha visto personalmente es la que más peso tiene.",
    SHEET[1][1]: "Por favor, incluya",
    SHEET[2][1]: "Su nombre completo, dirección, teléfono y correo electrónico.",
    SHEET[3][1]: "Su estatus en Canadá (ciudadano, residente permanente, otro) y su ocupación.",
    SHEET[4][1]: "Cómo conoce a la persona, desde cuándo y con qué frecuencia la ve.",
    SHEET[5][1]: "Ejemplos concretos de lo que usted ha visto: trabajo, voluntariado, ayuda a otras personas, "
                 "vida familiar.",
    SHEET[6][1]: "Si usted es empleador: el puesto, la fecha de inicio, el horario y el salario.",
    SHEET[7][1]: "La fecha y su firma en tinta o una firma electrónica verificada.",
    SHEET[8][1]: "Por favor, evite",
    SHEET[9][1]: "Repetir lo que solo escuchó de otras personas o suponer hechos que no vio.",
    SHEET[10][1]: "Exagerar: si quien decide duda de una frase, puede dudar de toda la carta.",
    SHEET[11][1]: "Copiar una carta modelo o las palabras de otra persona.",
    SHEET[12][1]: "Aspectos prácticos",
    SHEET[13][1]: "Escriba en el idioma en que se sienta más cómodo; la clínica se encargará de la traducción.",
    SHEET[14][1]: "Si puede, adjunte una copia de un documento de identidad que muestre su firma.",
    SHEET[15][1]: "Entregue la carta a la clínica y a nadie más, y guarde una copia.",
    SHEET[16][1]: "Su privacidad",
    SHEET[17][1]: "Su carta se presentará ante una autoridad o un tribunal de inmigración de Canadá y solo se "
                  "usará para este caso. No incluya información sobre otras personas sin su permiso.",
}


def text_in(lang: str, message: str) -> str:
    """`message` in English, French (catalog) or Spanish (the data above)."""
    if lang == "es":
        return SPANISH[message]
    return translate_for(lang, message)


def letter_guidance(lang: str) -> bytes:
    """The guidance sheet in `lang` ("en", "fr" or "es")."""
    if lang not in LANGUAGES:
        raise ValueError(f"no guidance sheet in {lang!r}")
    d = Doc("fr" if lang == "fr" else "en", TITLE)
    d.lang = lang
    d.meta_title = text_in(lang, TITLE)
    d.title(text_in(lang, TITLE))
    for kind, message in SHEET:
        text = text_in(lang, message)
        if kind == "h":
            d.h1(text)
        elif kind == "b":
            d.bullets([text])
        else:
            d.add(text)
    return d.render()
