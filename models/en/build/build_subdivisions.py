#!/usr/bin/env python3
"""Build gazetteer/subdivisions.tsv (GPE) from ISO 3166-2 in Debian's
iso-codes (/usr/share/iso-codes/json/iso_3166-2.json), plus the English
names from iso-codes' own `en` translation catalogue and a hand-written
table of English names used in news for countries whose ISO names are
romanisations (RU, UA, CN, IR, IQ, SY, EG, ...).

Kept: first-level subdivisions (no `parent`) of administrative types down
to province/county level; second-level ones only for GB, ES, IT, PH and ID (provinces),
whose counties/provinces are named in news.  Dropped: low-level types
(municipalities, parishes, communes, ...), names under 3 characters,
3-character names not in SHORT_KEEP, names in STOP (common English words,
given names, compass words), names that are also country names
(countries.tsv has them), and lowercase-initial fragments.
"""
import gettext
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nervedata import GAZ, ascii_fold, clean_term, write_tsv  # noqa: E402
import build_countries  # noqa: E402

ISO = os.environ.get("ISO_CODES_DIR", "/usr/share/iso-codes/json")
MO = os.environ.get("ISO_CODES_EN_MO", "/usr/share/locale/en/LC_MESSAGES/iso_3166-2.mo")

DROP_TYPES = {
    "Municipality", "Metropolitan department", "Local council", "Rayon",
    "Rural municipality", "District municipality", "Parish", "Commune",
    "Urban municipality", "Quarter", "Popularate", "Administrative atoll",
    "City municipality", "Town", "Ward", "Town council", "Island council",
    "Outlying area",
}
SECOND_LEVEL_COUNTRIES = {"GB", "ES", "IT", "PH", "ID"}

# Single codes left out: Florida (UY-FD) would take the US state's name.
DROP_CODES = {"UY-FD"}

# Three-letter names that are safe as entity strings.
SHORT_KEEP = {"Goa", "Qom", "Osh", "Gao", "Edo", "Imo", "Oyo", "Zug", "Ica",
              "Ibb", "Fès"}

# Names that are common English words (sentence-initial or title-case
# false positives), frequent given names or surnames, compass words, or
# names better known as something else.  Reviewed by hand against the
# list of kept names.
STOP = set("""
Abra Acre Amara Angus Antique Ascension Aurora Bam Bari Batman Bay Bender
Brent Bury Canaries Cascade Cascades Central Centre Cesar Chin Clare Coast
Constantine Delta Derby Dudley East Eastern Est Georgia Gulf Harrow
Highland Isabel Kara Kerry Lakes Lara Lira Lola Magdalena Male Mara Maritime
Mary Mascara Meta Miranda Mon Most Muş Mus Nelson North Northern Pest Plateau
Plateaux Pool Reading Rivers Roma Ruse Saba Saga Sid Sofia South Southern
Stirling Sutton Tubas Unity Uri Valle Van Washington West Western Yap Mie
Corse Jura Hidalgo Guerrero Morelos Nord Sud Ouest Littoral
Centro Oriental Occidental Capital Ho Chi Minh Hồ Chí Minh Napo Loja Bolivar
Bolívar Colón Colon Independencia Libertad Esperanza Paz Cortés Cortes
Concepción Concepcion Presidente Hayes Boquerón Guadalupe Sucre
Mérida Merida Limón Limon
Manchester Birmingham Liverpool Leeds Sheffield Bradford Newcastle Kirklees
Wigan Bolton Oldham Rochdale Salford Stockport Tameside Trafford Knowsley
Sefton Wirral St Helens Gateshead Sunderland Barnsley Doncaster Rotherham
Wakefield Calderdale Coventry Solihull Walsall Sandwell Wolverhampton
Guarda Viseu Beja Faro Bragança Porto Lisboa Braga Leiria Setúbal Évora
Aveiro Coimbra Santarém Portalegre
Alba Para Falcon Hail Hull Leon Lori Quiche Sides Sidès Farah Mila Naama Saida
Medea Alger Sila Hela Shan Bong Mono Cayo Lempira Portuguesa Rivas Herrera
Rivera Rocha Soriano Maldonado Colonia Trujillo Quezon Rizal Isabela Laguna
Flores Loreto Marlborough Merton Moka Savannah Midlands Sahel Leste Norte Lacs
Centrale Glacis Cordillera Santander Somali Harari Gaza Balkan Kilimanjaro Zambezi
Latina
""".split()) | {
    "New York", "North East", "North West", "South East", "South West", "West Coast",
    "Central Region", "Northern Region", "Southern Region", "Mid Western", "Far Western",
    "Western North", "North Bank", "Lower River", "Upper River", "Central River",
    "Black River", "English River", "Black Point", "Bel Air", "Grand Port",
    "North Central Province", "North Western Province", "National Capital Region",
    "National Capital District", "Harari People", "Gambela Peoples",
    "Blue Nile", "White Nile", "River Nile",
    "Ho Chi Minh", "Hồ Chí Minh", "Nueva Esparta", "Presidente Hayes",
    "St Helens", "Red Sea", "Eastern Province", "Western Province",
    "Northern Province", "Southern Province", "Central Province",
    "North Eastern", "North Western", "South Western", "Upper East",
    "Upper West", "Far North", "Greater Accra", "Al Janubi", "Ash Shamali",
    "Al Awsat", "Ash Shimal", "Al Janub", "Capital Territory", "Western Area",
    "Hong Kong SAR", "Macao SAR", "Nairobi City", "Belfast City",
    "Aberdeen City", "Glasgow City", "Dundee City", "Islands",
}
# (Portuguese districts and English metropolitan districts are city names:
# cities.tsv carries them with GeoNames ids; keeping them here too would
# only add a second, coarser id.)

# Names written in news for subdivisions whose ISO name is a local
# romanisation or a fragment.  A value replaces the ISO names when the code
# is in REPLACE, otherwise it is added to them.
ENGLISH = {
    # Canada: the island and former dominion, as news names the province
    "CA-NL": ["Newfoundland"],
    # China
    "CN-AH": ["Anhui"], "CN-BJ": ["Beijing Municipality"], "CN-CQ": ["Chongqing Municipality"],
    "CN-FJ": ["Fujian"], "CN-GD": ["Guangdong"], "CN-GS": ["Gansu"], "CN-GX": ["Guangxi"],
    "CN-GZ": ["Guizhou"], "CN-HA": ["Henan"], "CN-HB": ["Hubei"], "CN-HE": ["Hebei"],
    "CN-HI": ["Hainan"], "CN-HL": ["Heilongjiang"], "CN-HN": ["Hunan"], "CN-JL": ["Jilin"],
    "CN-JS": ["Jiangsu"], "CN-JX": ["Jiangxi"], "CN-LN": ["Liaoning"], "CN-NM": ["Inner Mongolia"],
    "CN-NX": ["Ningxia"], "CN-QH": ["Qinghai"], "CN-SC": ["Sichuan"], "CN-SD": ["Shandong"],
    "CN-SH": ["Shanghai Municipality"], "CN-SN": ["Shaanxi"], "CN-SX": ["Shanxi"],
    "CN-TJ": ["Tianjin Municipality"], "CN-XJ": ["Xinjiang"], "CN-XZ": ["Tibet", "Xizang"],
    "CN-YN": ["Yunnan"], "CN-ZJ": ["Zhejiang"], "CN-HK": [], "CN-MO": [], "CN-TW": [],
    # Russia
    "RU-AD": ["Adygea"], "RU-AL": ["Altai Republic"], "RU-ALT": ["Altai Krai"],
    "RU-AMU": ["Amur Oblast"], "RU-ARK": ["Arkhangelsk Oblast"], "RU-AST": ["Astrakhan Oblast"],
    "RU-BA": ["Bashkortostan"], "RU-BEL": ["Belgorod Oblast"], "RU-BRY": ["Bryansk Oblast"],
    "RU-BU": ["Buryatia"], "RU-CE": ["Chechnya"], "RU-CHE": ["Chelyabinsk Oblast"],
    "RU-CHU": ["Chukotka"], "RU-CU": ["Chuvashia"], "RU-DA": ["Dagestan"],
    "RU-IN": ["Ingushetia"], "RU-IRK": ["Irkutsk Oblast"], "RU-IVA": ["Ivanovo Oblast"],
    "RU-KAM": ["Kamchatka Krai"], "RU-KB": ["Kabardino-Balkaria"],
    "RU-KC": ["Karachay-Cherkessia"], "RU-KDA": ["Krasnodar Krai"],
    "RU-KEM": ["Kemerovo Oblast"], "RU-KGD": ["Kaliningrad Oblast"], "RU-KGN": ["Kurgan Oblast"],
    "RU-KHA": ["Khabarovsk Krai"], "RU-KHM": ["Khanty-Mansi Autonomous Okrug"],
    "RU-KIR": ["Kirov Oblast"], "RU-KK": ["Khakassia"], "RU-KL": ["Kalmykia"],
    "RU-KLU": ["Kaluga Oblast"], "RU-KO": ["Komi Republic"], "RU-KOS": ["Kostroma Oblast"],
    "RU-KR": ["Karelia"], "RU-KRS": ["Kursk Oblast"], "RU-KYA": ["Krasnoyarsk Krai"],
    "RU-LEN": ["Leningrad Oblast"], "RU-LIP": ["Lipetsk Oblast"], "RU-MAG": ["Magadan Oblast"],
    "RU-ME": ["Mari El"], "RU-MO": ["Mordovia"], "RU-MOS": ["Moscow Oblast", "Moscow Region"],
    "RU-MOW": [], "RU-MUR": ["Murmansk Oblast"], "RU-NEN": ["Nenets Autonomous Okrug"],
    "RU-NGR": ["Novgorod Oblast"], "RU-NIZ": ["Nizhny Novgorod Oblast"],
    "RU-NVS": ["Novosibirsk Oblast"], "RU-OMS": ["Omsk Oblast"], "RU-ORE": ["Orenburg Oblast"],
    "RU-ORL": ["Oryol Oblast"], "RU-PER": ["Perm Krai"], "RU-PNZ": ["Penza Oblast"],
    "RU-PRI": ["Primorsky Krai"], "RU-PSK": ["Pskov Oblast"], "RU-ROS": ["Rostov Oblast"],
    "RU-RYA": ["Ryazan Oblast"], "RU-SA": ["Sakha Republic", "Yakutia"],
    "RU-SAK": ["Sakhalin Oblast"], "RU-SAM": ["Samara Oblast"], "RU-SAR": ["Saratov Oblast"],
    "RU-SE": ["North Ossetia", "North Ossetia-Alania"], "RU-SMO": ["Smolensk Oblast"],
    "RU-SPE": [], "RU-STA": ["Stavropol Krai"], "RU-SVE": ["Sverdlovsk Oblast"],
    "RU-TA": ["Tatarstan"], "RU-TAM": ["Tambov Oblast"], "RU-TOM": ["Tomsk Oblast"],
    "RU-TUL": ["Tula Oblast"], "RU-TVE": ["Tver Oblast"], "RU-TY": ["Tuva"],
    "RU-TYU": ["Tyumen Oblast"], "RU-UD": ["Udmurtia"], "RU-ULY": ["Ulyanovsk Oblast"],
    "RU-VGG": ["Volgograd Oblast"], "RU-VLA": ["Vladimir Oblast"], "RU-VLG": ["Vologda Oblast"],
    "RU-VOR": ["Voronezh Oblast"], "RU-YAN": ["Yamalo-Nenets Autonomous Okrug"],
    "RU-YAR": ["Yaroslavl Oblast"], "RU-YEV": ["Jewish Autonomous Oblast"],
    "RU-ZAB": ["Zabaykalsky Krai"],
    # Ukraine
    "UA-05": ["Vinnytsia Oblast"], "UA-07": ["Volyn Oblast", "Volyn"], "UA-09": ["Luhansk Oblast"],
    "UA-12": ["Dnipropetrovsk Oblast"], "UA-14": ["Donetsk Oblast"], "UA-18": ["Zhytomyr Oblast"],
    "UA-21": ["Zakarpattia Oblast", "Transcarpathia"], "UA-23": ["Zaporizhzhia Oblast"],
    "UA-26": ["Ivano-Frankivsk Oblast"], "UA-30": [], "UA-32": ["Kyiv Oblast"],
    "UA-35": ["Kirovohrad Oblast"], "UA-40": [], "UA-43": ["Crimea"], "UA-46": ["Lviv Oblast"],
    "UA-48": ["Mykolaiv Oblast"], "UA-51": ["Odesa Oblast"], "UA-53": ["Poltava Oblast"],
    "UA-56": ["Rivne Oblast"], "UA-59": ["Sumy Oblast"], "UA-61": ["Ternopil Oblast"],
    "UA-63": ["Kharkiv Oblast"], "UA-65": ["Kherson Oblast"], "UA-68": ["Khmelnytskyi Oblast"],
    "UA-71": ["Cherkasy Oblast"], "UA-74": ["Chernihiv Oblast"], "UA-77": ["Chernivtsi Oblast"],
    # Iran (ISO names are kept; these are the usual English spellings)
    "IR-03": ["East Azerbaijan"], "IR-04": ["West Azerbaijan"], "IR-09": ["Razavi Khorasan"],
    "IR-10": ["Isfahan Province"], "IR-11": ["Sistan and Baluchestan", "Sistan-Baluchestan"],
    "IR-12": ["Kurdistan Province"], "IR-14": ["Chaharmahal and Bakhtiari"],
    "IR-17": ["Kohgiluyeh and Boyer-Ahmad"], "IR-28": ["North Khorasan"], "IR-29": ["South Khorasan"],
    "IR-06": ["Khuzestan"], "IR-07": ["Fars Province"],
    # Iraq
    "IQ-AN": ["Anbar"], "IQ-AR": ["Erbil"], "IQ-BA": ["Basra Governorate"], "IQ-BB": ["Babil"],
    "IQ-BG": ["Baghdad Governorate"], "IQ-DA": ["Dohuk", "Duhok"], "IQ-DI": ["Diyala"],
    "IQ-DQ": ["Dhi Qar"], "IQ-KA": ["Karbala Governorate"], "IQ-KI": ["Kirkuk Governorate"],
    "IQ-MA": ["Maysan"], "IQ-MU": ["Muthanna"], "IQ-NA": ["Najaf Governorate"],
    "IQ-NI": ["Nineveh"], "IQ-QA": ["Qadisiyah"], "IQ-SD": ["Salahuddin", "Salah al-Din"],
    "IQ-SU": ["Sulaymaniyah"], "IQ-WA": ["Wasit"],
    # Syria
    "SY-DI": ["Damascus Governorate"], "SY-DR": ["Daraa"], "SY-DY": ["Deir ez-Zor", "Deir el-Zour"],
    "SY-HA": ["Hasakah"], "SY-HI": ["Homs Governorate"], "SY-HL": ["Aleppo Governorate"],
    "SY-HM": ["Hama Governorate"], "SY-ID": ["Idlib"], "SY-LA": ["Latakia"],
    "SY-QU": ["Quneitra"], "SY-RA": ["Raqqa"], "SY-RD": ["Rif Dimashq"], "SY-SU": ["Suwayda"],
    "SY-TA": ["Tartus"],
    # Egypt
    "EG-ASN": ["Aswan"], "EG-AST": ["Asyut"], "EG-BA": [], "EG-BH": ["Beheira"],
    "EG-BNS": ["Beni Suef"], "EG-DK": ["Dakahlia"], "EG-DT": ["Damietta"], "EG-FYM": ["Faiyum"],
    "EG-GH": ["Gharbia"], "EG-GZ": ["Giza"], "EG-IS": ["Ismailia"], "EG-JS": ["South Sinai"],
    "EG-KB": ["Qalyubia"], "EG-KFS": ["Kafr el-Sheikh"], "EG-KN": ["Qena"], "EG-LX": ["Luxor"],
    "EG-MN": ["Minya"], "EG-MNF": ["Monufia"], "EG-MT": ["Matrouh"], "EG-PTS": ["Port Said"],
    "EG-SHG": ["Sohag"], "EG-SHR": ["Sharqia"], "EG-SIN": ["North Sinai"], "EG-SUZ": ["Suez"],
    "EG-WAD": ["New Valley"], "EG-ALX": [], "EG-C": [],
    # Libya, Yemen, Saudi Arabia, Lebanon, Jordan
    "LY-BA": ["Benghazi"], "LY-DR": ["Derna"], "LY-MI": ["Misrata"], "LY-SR": ["Sirte"],
    "LY-SB": ["Sabha"], "LY-KF": ["Kufra"], "LY-ZA": ["Zawiya"], "LY-JU": ["Jufra"],
    "LY-TB": [],
    "YE-AD": ["Aden"], "YE-MA": ["Marib"], "YE-HD": ["Hadramawt", "Hadramout"],
    "YE-HU": ["Hodeidah"], "YE-SN": ["Sanaa Governorate"], "YE-TA": ["Taiz"], "YE-SD": ["Saada"],
    "YE-LA": ["Lahj"], "YE-SH": ["Shabwa"], "YE-DH": ["Dhamar"], "YE-HJ": ["Hajjah"],
    "YE-AM": ["Amran"], "YE-MR": ["Mahra"], "YE-SU": ["Socotra"], "YE-BA": ["Al Bayda"],
    "YE-SA": [], "YE-DA": ["Dhale"],
    "SA-01": ["Riyadh Province"], "SA-02": ["Mecca Province", "Makkah Province"],
    "SA-03": ["Medina Province"], "SA-05": ["Qassim"], "SA-06": ["Hail"], "SA-07": ["Tabuk"],
    "SA-09": ["Jazan", "Jizan"], "SA-10": ["Najran"], "SA-11": ["Al Baha"], "SA-14": ["Asir"],
    "SA-04": [], "SA-08": ["Northern Borders"],
    "LB-AK": ["Akkar"], "LB-BI": ["Bekaa"], "LB-JA": ["South Lebanon"], "LB-JL": ["Mount Lebanon"],
    "LB-NA": ["Nabatieh"], "LB-AS": ["North Lebanon"], "LB-BA": [],
    "JO-AJ": ["Ajloun"], "JO-AQ": ["Aqaba"], "JO-AT": ["Tafilah"], "JO-AZ": ["Zarqa"],
    "JO-BA": ["Balqa"], "JO-KA": ["Karak"], "JO-MA": ["Mafraq"], "JO-MD": ["Madaba"],
    "JO-MN": ["Ma'an"], "JO-AM": [],
    "IL-HA": ["Haifa District"], "IL-JM": ["Jerusalem District"], "IL-TA": ["Tel Aviv District"],
    # Europe
    "DE-BY": ["Bavaria"], "DE-HE": ["Hesse"], "DE-NI": ["Lower Saxony"],
    "DE-NW": ["North Rhine-Westphalia"], "DE-RP": ["Rhineland-Palatinate"], "DE-SN": ["Saxony"],
    "DE-ST": ["Saxony-Anhalt"], "DE-TH": ["Thuringia"],
    "DE-MV": ["Mecklenburg-Western Pomerania", "Mecklenburg-Vorpommern"],
    "FR-20R": ["Corsica"], "FR-BRE": ["Brittany"], "FR-NOR": ["Normandy"], "FR-GES": ["Grand Est"],
    "FR-IDF": ["Ile-de-France"], "FR-NAQ": ["Nouvelle-Aquitaine"], "FR-OCC": ["Occitanie"],
    "FR-PAC": ["Provence-Alpes-Côte d'Azur"], "FR-PDL": ["Pays de la Loire"],
    "FR-CP": ["Clipperton Island"],
    "ES-AN": ["Andalusia"], "ES-AR": ["Aragon"], "ES-CT": ["Catalonia"], "ES-CL": ["Castile and León"],
    "ES-CM": ["Castile-La Mancha"], "ES-CN": ["Canary Islands"], "ES-IB": ["Balearic Islands"],
    "ES-PM": [], "ES-PV": ["Basque Country"], "ES-NC": ["Navarre"], "ES-NA": [],
    "ES-SE": ["Seville"], "ES-VC": ["Valencian Community"], "ES-MD": ["Community of Madrid"],
    "ES-MC": ["Region of Murcia"], "ES-VI": ["Álava"], "ES-A": ["Alicante"], "ES-CS": ["Castellón"],
    "ES-BI": ["Biscay"], "ES-SS": ["Gipuzkoa"],
    "IT-21": ["Piedmont"], "IT-23": ["Aosta Valley"], "IT-25": ["Lombardy"],
    "IT-32": ["Trentino-Alto Adige", "Trentino-South Tyrol"], "IT-36": ["Friuli-Venezia Giulia"],
    "IT-52": ["Tuscany"], "IT-75": ["Apulia"], "IT-82": ["Sicily"], "IT-88": ["Sardinia"],
    "IT-BZ": ["South Tyrol"], "IT-RM": [],
    "BE-WAL": ["Wallonia"], "BE-VLG": ["Flanders"], "BE-BRU": ["Brussels-Capital Region"],
    "CZ-10": [], "MD-GA": ["Gagauzia"], "MD-SN": ["Transnistria"], "MD-BD": [],
    "GB-DUR": ["County Durham"], "GB-LND": ["City of London"], "GB-KHL": ["Hull"],
    "GB-BNH": ["Brighton and Hove"],
    "PT-20": ["Azores"], "PT-30": ["Madeira"],
    # Indonesia
    "ID-JB": ["West Java"], "ID-JI": ["East Java"], "ID-JT": ["Central Java"], "ID-JW": ["Java"],
    "ID-SM": ["Sumatra"], "ID-SU": ["North Sumatra"], "ID-SB": ["West Sumatra"],
    "ID-SS": ["South Sumatra"], "ID-SN": ["South Sulawesi"], "ID-SA": ["North Sulawesi"],
    "ID-ST": ["Central Sulawesi"], "ID-KI": ["East Kalimantan"], "ID-KB": ["West Kalimantan"],
    "ID-NT": ["East Nusa Tenggara"], "ID-NB": ["West Nusa Tenggara"], "ID-PB": ["West Papua"],
    "ID-MU": ["North Maluku"], "ID-KR": ["Riau Islands"], "ID-BB": ["Bangka Belitung"],
    # Elsewhere
    "US-NY": ["New York State", "New York state"], "US-WA": ["Washington State", "Washington state"],
    "ZA-KZN": ["KwaZulu-Natal"], "ZA-NW": ["North West Province"],
    "MY-07": ["Penang"], "MY-04": ["Malacca"], "MY-14": [], "MY-15": ["Labuan"], "MY-16": ["Putrajaya"],
    "TH-10": [], "TH-S": [], "TH-82": ["Phang Nga"],
    "MX-CMX": [], "MX-MEX": ["State of Mexico"], "MX-COA": ["Coahuila"], "MX-MIC": ["Michoacán"],
    "MX-VER": ["Veracruz"],
    "VN-SG": [], "VN-HN": [], "VN-DN": [], "VN-HP": [], "VN-CT": [],
    "NG-FC": ["Federal Capital Territory"],
    "PK-JK": ["Azad Kashmir"],
    "IN-JK": ["Jammu and Kashmir"], "IN-DH": ["Dadra and Nagar Haveli and Daman and Diu"],
    "KE-30": [],
    "PS-GZA": [], "PS-JEM": [],
    "SD-NO": ["Northern State"],
    "ET-SN": [], "ET-GA": ["Gambela"], "ET-HA": ["Harari"], "ET-TI": ["Tigray"],
    "ET-AM": ["Amhara"], "ET-SO": ["Somali Region"], "ET-AA": [],
    "PH-14": ["ARMM"], "PH-15": ["Cordillera Administrative Region"], "PH-00": ["Metro Manila"],
    "BA-BIH": ["Federation of Bosnia and Herzegovina"], "BA-SRP": ["Republika Srpska"],
}
# Codes whose ISO names are never written in English news: use ENGLISH only.
REPLACE_PREFIXES = ("CN-", "RU-", "UA-", "IQ-", "SY-", "EG-", "LY-", "YE-", "SA-", "LB-", "JO-", "IL-")
REPLACE = {"CZ-10", "MD-GA", "MD-SN", "MD-BD", "BE-WAL", "ES-VC", "ES-MD", "ES-MC", "ES-NC",
           "ES-NA", "ES-PV", "ES-PM", "IT-RM", "MY-14", "TH-10", "TH-S", "MX-CMX", "VN-SG", "VN-HN",
           "VN-DN", "VN-HP", "VN-CT", "KE-30", "PS-GZA", "PS-JEM", "ET-SN", "ET-AA", "ET-AM",
           "ET-TI", "ZA-KZN", "PH-14", "GB-LND", "SD-NO", "NG-FC", "ES-VI", "ES-A", "ES-CS"}

# Nigerian news names states "Lagos State", "Rivers State": add that form.
STATE_SUFFIX_COUNTRIES = {"NG"}


def iso_names(raw, en):
    """Turn an ISO 3166-2 name into the names worth matching."""
    out = []
    for cand in [en, raw]:
        if not cand:
            continue
        alts = []
        m = re.search(r"\[([^\]]*)\]", cand)
        if m and not re.search(r"[A-Z]{2}-", m.group(1)):
            alts.append(m.group(1))
        base = re.sub(r"\s*\[[^\]]*\]", "", cand)
        base = re.sub(r"\s*\([^)]*\)", "", base).replace("*", "").strip()
        if ", " in base:
            head, tail = base.split(", ", 1)
            if tail in ("City of", "The", "County"):
                base = ("County " + head) if tail == "County" else head
            elif head[:1].islower():
                continue
            elif tail.endswith(" and") or " and " in tail or "," in tail:
                pass                 # "Armagh City, Banbridge and Craigavon": keep as written
            else:
                base = head          # "Asturias, Principado de" -> Asturias
        for part in [base] + alts:
            for p in part.split(" / "):
                p = clean_term(p)
                if p and p not in out:
                    out.append(p)
    return out


def entries():
    """(rows, first_level, ambiguous, dropped): rows are (term, label, attrs);
    first_level maps first-level subdivision names to their country codes."""
    data = json.load(open(os.path.join(ISO, "iso_3166-2.json"), encoding="utf-8"))["3166-2"]
    try:
        cat = gettext.GNUTranslations(open(MO, "rb"))._catalog
    except OSError:
        cat = {}
    country_terms = {t for t, _, _ in build_countries.entries()}
    cands = {}          # term -> list of (rank, code)
    dropped = {"type": 0, "stop": 0, "short": 0, "country": 0, "other": 0}
    for e in data:
        code, name, typ = e["code"], e["name"], e["type"]
        cc = code[:2]
        if typ in DROP_TYPES or code in DROP_CODES:
            dropped["type"] += 1
            continue
        if "parent" in e and cc not in SECOND_LEVEL_COUNTRIES:
            dropped["type"] += 1
            continue
        rank = 1 if "parent" in e else 0
        if code.startswith(REPLACE_PREFIXES) or code in REPLACE:
            names = []
        else:
            tr = cat.get(name)
            names = iso_names(name, tr if tr and tr != name else None)
        names += [n for n in ENGLISH.get(code, []) if n not in names]
        if cc in STATE_SUFFIX_COUNTRIES:
            names += [n + " State" for n in names if not n.endswith(("State", "Territory"))]
        forms = []
        for n in names:
            for f in (n, ascii_fold(n)):
                if f not in forms:
                    forms.append(f)
            if "'" in n:
                forms.append(n.replace("'", "\u2019"))
        for f in forms:
            if f in STOP:
                dropped["stop"] += 1
                continue
            if len(f) < 3 or (len(f) == 3 and f not in SHORT_KEEP):
                dropped["short"] += 1
                continue
            if f in country_terms:
                dropped["country"] += 1
                continue
            if not f[0].isupper() or re.search(r"\d", f):
                dropped["other"] += 1
                continue
            cands.setdefault(f, []).append((rank, code))
    rows = []
    first_level = {t: {c[:2] for r, c in lst if r == 0}
                   for t, lst in cands.items() if min(r for r, _ in lst) == 0}
    ambiguous = 0
    for term, lst in cands.items():
        lst = sorted(set(lst))
        best = [c for r, c in lst if r == lst[0][0]]
        if len(best) == 1:
            rows.append((term, "GPE", {"kb": "iso3166-2:" + best[0]}))
        else:
            ambiguous += 1      # e.g. Punjab (IN-PB, PK-PB): GPE without a kb id
            rows.append((term, "GPE", {}))
    return rows, first_level, ambiguous, dropped


def main():
    rows, _, ambiguous, dropped = entries()
    n = write_tsv(os.path.join(GAZ, "subdivisions.tsv"), "build_subdivisions.py", rows,
                  options=["case=sensitive", "label=GPE"],
                  comments=["ISO 3166-2 subdivisions from Debian iso-codes (LGPL-2.1+); see SOURCES.md"])
    print("subdivisions: %d entries, %d without kb (ambiguous), dropped %r" % (n, ambiguous, dropped),
          file=sys.stderr)


if __name__ == "__main__":
    main()
