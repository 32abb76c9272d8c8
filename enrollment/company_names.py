"""Whether two company names name the same company: the legal name given in an
application and the company name of its MPN ID in the Partner Network (the
``mpn_ownership`` check). Case, accents, punctuation, spacing and the legal form
("GmbH", "Inc.", "有限公司", "ООО") do not count."""

import re
import unicodedata

# Legal forms, as words (compared after case folding and without punctuation), the longest first.
LEGAL_FORMS = sorted(
    {
        "gmbh", "gmbh & co kg", "gmbh co kg", "ag", "kg", "ohg", "ug", "se", "e v", "ev",
        "inc", "incorporated", "corp", "corporation", "co", "company", "llc", "llp", "lp", "ltd",
        "limited", "plc", "pty", "pty ltd", "pte", "pte ltd", "sa", "sas", "sarl", "srl", "spa",
        "bv", "nv", "ab", "as", "oy", "kk", "kabushiki kaisha",
        "ooo", "ооо", "оао", "зао", "пао", "ао", "ип",
    },
    key=len,
    reverse=True,
)  # fmt: skip
# Forms written before the name (Russian: ООО «Вингтип»).
PREFIX_FORMS = ("ooo", "ооо", "оао", "зао", "пао", "ао", "ип")
CJK_LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限責任公司", "有限公司", "株式会社", "公司")


def normalize_company_name(name: str) -> str:
    """The name without case, accents, punctuation, extra spaces or legal form."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[^\w&]+", " ", text).replace("_", " ")
    text = re.sub(r"\b(\w) (?=\w\b)", r"\1", " ".join(text.split()))  # "g m b h" (G.m.b.H.) -> "gmbh"
    for form in CJK_LEGAL_FORMS:
        if text.endswith(form) and len(text) > len(form):
            text = text[: -len(form)].strip()
            break
    changed = True
    while changed:
        changed = False
        for form in LEGAL_FORMS:
            patterns = [rf"(?:^| ){re.escape(form)}$"] + (
                [rf"^{re.escape(form)} "] if form in PREFIX_FORMS else []
            )
            for pattern in patterns:
                stripped = re.sub(pattern, "", text).strip()
                if stripped and stripped != text:
                    text, changed = stripped, True
    return text.replace("&", "and").replace(" ", "")


def company_names_match(a: str, b: str) -> bool:
    left, right = normalize_company_name(a), normalize_company_name(b)
    return bool(left) and left == right
