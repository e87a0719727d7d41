"""English for the Dutch labels and messages of the Toezicht form (written for Loket; Dutch stays the source)."""

LABELS = {
    "1. Welke nieuwe samenwerkingsvormen/partnerschappen werden tot stand gebracht?":
        "1. Which new forms of cooperation or partnerships were set up?",
    "2. Welke wijk werd betrokken?": "2. Which neighbourhood was involved?",
    "3. Licht de collectieve (energiebesparende) renovatiemaatregelen toe":
        "3. Explain the collective (energy-saving) renovation measures",
    "4. Hoe werd ingezet op sociale diversiteit?": "4. How was social diversity pursued?",
    "<strong>Let op:</strong> Geef fietspaden die je al eerder doorgaf <strong>niet</strong> opnieuw in want dan "
    "worden ze dubbel geteld in het Loket voor lokale besturen. Vul in dat geval een nulwaarde ('0') in.":
        "<strong>Note:</strong> do <strong>not</strong> enter cycle paths you reported before again, or they are "
        "counted twice in the Loket. Enter zero ('0') in that case.",
    "<strong>Opgelet:</strong> het is niet langer mogelijk om het aantal uitgenodigde wooneenheden voor een "
    "klimaattafel in te geven in het kader van LEKP 2.0. Deze doelstelling liep af op 31/12/2024.":
        "<strong>Note:</strong> the number of housing units invited to a climate table can no longer be entered "
        "under LEKP 2.0. This goal ended on 31/12/2024.",
    "Artikels": "Articles",
    "Authentieke bron": "Authentic source",
    "Bestanden": "Files",
    "Betreffend (centraal) bestuur van de eredienst": "(Central) worship board concerned",
    "Betreffend bestuur van de eredienst": "Worship board concerned",
    "Bijkomende informatie :": "Additional information:",
    "Datum Sloopbeleidsplan": "Date of the demolition policy plan",
    "Datum klimaattafel": "Date of the climate table",
    "Datum lancering wijkverbeteringscontract": "Launch date of the neighbourhood improvement contract",
    "Datum realisatie collectieve renovatie": "Completion date of the collective renovation",
    "Datum van publicatie op webtoepassing": "Date of publication on the web application",
    "Datum zitting/agenda": "Date of the session/agenda",
    "Datum zitting/besluit": "Date of the session/decision",
    "Datum zitting/besluitenlijst": "Date of the session/list of decisions",
    "Datum zitting/notulen": "Date of the session/minutes",
    "Deze inzending komt enkel bij uw centraal bestuur van de eredienst terecht. Deze zal het vervolgens indienen "
    "bij het representatief orgaan. Indien uw bestuur géén centraal bestuur van de eredienst heeft, dan komt deze "
    "inzending bij het representatief orgaan terecht.":
        "This submission only reaches your central worship board, which then submits it to the representative "
        "body. If your board has no central worship board, it reaches the representative body.",
    "Dit dossierstype heeft betrekking tot erkenning lokale geloofsgemeenschappen.":
        "This type of dossier concerns the recognition of local religious communities.",
    "Dit dossierstype heeft betrekking tot het Lokaal Energie- en Klimaatpact.":
        "This type of dossier concerns the Local Energy and Climate Pact.",
    "Dit dossiertype heeft betrekking op het Lokaal Energie- en Klimaatpact.":
        "This type of dossier concerns the Local Energy and Climate Pact.",
    "Dit formulier dient enkel voor opvraging(en) in kader van het algemeen toezicht, niet voor procedures in het "
    "kader van het bijzonder toezicht. Deze opvraging stuit de termijn van de beslissing waarover de "
    "gemeente/provincie bijkomende inlichtingen inwint. De dag nadat de toezichthoudende overheid "
    "(gemeente/provincie) het dossier of de aanvullende inlichtingen heeft ontvangen, begint een nieuwe termijn van "
    "dertig dagen.":
        "This form is only for requests under general supervision, not for procedures under special supervision. "
        "The request interrupts the term of the decision about which the municipality or province asks for more "
        "information. A new term of thirty days begins the day after the supervising authority (municipality or "
        "province) has received the dossier or the additional information.",
    "Dit formulier mag enkel gebruik worden indien uw bestuur een budget(wijziging) voor advies gecoördineerd wilt "
    "indienen bij het representatief orgaan.":
        "Use this form only if your board wants to submit a coordinated budget (amendment) to the representative "
        "body for advice.",
    "Dit formulier mag enkel gebruikt worden indien uw bestuur een budget(wijziging) finaal gecoördineerd wilt "
    "indienen bij de financierende en toezichthoudende gemeente (of provincie). Dit kan nadat het representatief "
    "orgaan advies heeft uitgebracht.":
        "Use this form only if your board wants to submit a final coordinated budget (amendment) to the funding and "
        "supervising municipality (or province). This is possible after the representative body has given advice.",
    "Dossieromschrijving": "Description of the dossier",
    "Gaat het over een aanleg/verplaatsing/wijziging of over een opheffing van een gemeenteweg?":
        "Is it about building, moving or changing a municipal road, or about closing one?",
    "Gaat het over een voorlopige of definitieve vaststelling?": "Is it a provisional or a final adoption?",
    "Gaat het over het origineel document of over een wijziging?": "Is it the original document or an amendment?",
    "Geef hier aan hoeveel wooneenheden, die deelnamen aan een klimaattafel, een renovatietraject kregen "
    "voorgesteld tegen 31/12/2026 (LEKP 2.1)":
        "State how many housing units that took part in a climate table were offered a renovation path by "
        "31/12/2026 (LEKP 2.1)",
    "Geldt tot": "Valid until",
    "Geldt vanaf": "Valid from",
    "Gerelateerde documenten": "Related documents",
    "Heb je hiervoor met andere overheidsinstanties, steden of gemeenten samengewerkt? Welke?":
        "Did you work with other public bodies, cities or municipalities on this? Which ones?",
    "Het betreft een :": "It concerns:",
    "Hoeveel wooneenheden telde deze collectieve renovatie?": "How many housing units did this collective renovation include?",
    "Inhoud besluit": "Content of the decision",
    "LEKP-doelstelling": "LEKP goal",
    "Links naar documenten": "Links to documents",
    "MAR-code": "MAR code",
    "Meer info": "More information",
    "Meld hier alleen de inspanningen die niet dankzij steun van het Fietsfonds of Kopenhagenfonds tot stand kwamen.":
        "Report only the efforts that were not made with support from the Cycling Fund or the Copenhagen Fund.",
    "Met deze melding informeer je de betrokken eredienstbesturen en het centraal bestuur over de interne "
    "beslissing tot samenvoeging.":
        "With this notification you inform the worship boards concerned and the central board of the internal "
        "decision to merge.",
    "Met deze melding informeer je het eredienstbestuur en het centraal bestuur dat een ingediende "
    "budget(wijziging) of meerjarenplan(wijziging) onvolledig en bijgevolg onontvankelijk is.":
        "With this notification you inform the worship board and the central board that a submitted budget "
        "(amendment) or multi-year plan (amendment) is incomplete and therefore inadmissible.",
    "Met deze melding start je een desaffectatiedossier op wanneer de gemeente eigenaar is van het gebouw. Opgelet "
    "het betreft hier enkel presbyteria en kerken die (met toepassing van artikel 72 en 75 van de wet van 18 "
    "germinal jaar X « relative à l'organisation des cultes ») opnieuw ter beschikking zijn gesteld van de "
    "eredienst. Een presbyterium is een pastorie van voor de 19e eeuw die genationaliseerd werd in de Franse "
    "revolutionaire periode, niet vervreemd werd, en dan in 1802 opnieuw de bestemming van pastorie gekregen heeft. "
    "Een dergelijk presbyterium kan slechts een nieuwe bestemming krijgen nadat het werd gedesaffecteerd door de "
    "Vlaamse regering, na advies van de bisschoppelijke overheid.":
        "With this notification you start a deconsecration dossier when the municipality owns the building. This "
        "only concerns presbyteries and churches that were made available to the worship again under articles 72 "
        "and 75 of the law of 18 Germinal year X (« relative à l'organisation des cultes »). A presbytery is a "
        "pre-19th-century parsonage nationalised in the French revolutionary period, not sold, and made a parsonage "
        "again in 1802. Such a presbytery can only get a new use after the Flemish Government has deconsecrated it, "
        "on the advice of the episcopal authority.",
    "Met deze melding wordt beroep ingesteld tegen de beslissing van de gemeente- of provincieraad over een "
    "meerjarenplan(wijziging) of budget(wijziging). Ook kan een eredienstbestuur met deze melding beroep instellen "
    "tegen de gemaakte afspraken tussen het centraal bestuur en de gemeente- of provincieoverheid.":
        "With this notification an appeal is lodged against the decision of the municipal or provincial council on "
        "a multi-year plan (amendment) or budget (amendment). A worship board can also appeal with it against the "
        "agreements made between the central board and the municipal or provincial authority.",
    "Met dit formulier dien je een kerkenbeleidsplan in voor de rooms-katholieke parochiekerken op het grondgebied "
    "van je gemeente.":
        "With this form you submit a church policy plan for the Roman Catholic parish churches in your municipality.",
    "Met dit formulier dien je tijdens de <u>wachtperiode van de erkenningsaanvraag</u> documenten ter staving van "
    "het voldoen aan de erkenningscriteria in te dienen. Bij het selectieveld &ldquo;Type afschrift&rdquo; vind je "
    "een lijst met mogelijkheden terug. <a href=\"https://abb-vlaanderen.gitbook.io/handleiding-loket/erediensten/"
    "toelichting-verloop-indiening-en-ontvangst-van-stukken/afschriften-van-erkenningszoekende-besturen\" "
    "target=\"_blank\">Een toelichting betreffende elke type afschrift kan je hier terugvinden.</a>":
        "With this form you submit, during the <u>waiting period of the recognition request</u>, documents showing "
        "that the recognition criteria are met. The field &ldquo;Type of copy&rdquo; lists the possibilities. "
        "<a href=\"https://abb-vlaanderen.gitbook.io/handleiding-loket/erediensten/"
        "toelichting-verloop-indiening-en-ontvangst-van-stukken/afschriften-van-erkenningszoekende-besturen\" "
        "target=\"_blank\">An explanation of each type of copy (in Dutch).</a>",
    "Met dit formulier dient een eredienstbestuur zonder centraal bestuur van de eredienst een budget(wijziging) "
    "finaal in bij de financierende en toezichthoudende gemeente (of provincie). Dit kan nadat het representatief "
    "orgaan advies heeft uitgebracht. Indien uw bestuur vertegenwoordigd wordt door een centraal bestuur van de "
    "eredienst, gebruik dan het formulier Budget(wijziging) - indiening bij centraal bestuur of representatief "
    "orgaan.":
        "With this form a worship board without a central worship board submits its final budget (amendment) to "
        "the funding and supervising municipality (or province), after the representative body has given advice. "
        "If a central worship board represents your board, use the form Budget (amendment) - submission to the "
        "central board or representative body.",
    "Met dit formulier geeft jouw bestuur extra info, als de gemeente of de provincie daarnaar vraagt.":
        "With this form your board gives additional information when the municipality or province asks for it.",
    "Met dit formulier handhaaf je een besluit van jouw bestuur. Dit gebeurt na ontvangst van het schorsingsbesluit "
    "van de provinciegouverneur of de toezichthoudende gemeente of provincie.":
        "With this form you uphold a decision of your board, after receiving the suspension decision of the "
        "provincial governor or of the supervising municipality or province.",
    "Met dit formulier schorst de gemeente of de provincie een beslissing van een (centraal) bestuur van de "
    "eredienst.":
        "With this form the municipality or province suspends a decision of a (central) worship board.",
    "Naam betreffend bedrijf/bestuur": "Name of the company or authority concerned",
    "Naam collectieve Renovatie": "Name of the collective renovation",
    "Naam wijkverbeteringscontract": "Name of the neighbourhood improvement contract",
    "Nieuw aangelegde fietsinfrastructuur op eigen grondgebied.": "Newly built cycling infrastructure on own territory.",
    "Omschrijving": "Description",
    "Ondernemingsnummer betreffend bedrijf/bestuur": "Enterprise number of the company or authority concerned",
    "Opcentiem": "Surcharge (opcentiem)",
    "Opmerking": "Remark",
    "Rapportjaar": "Reporting year",
    "Rapportperiode": "Reporting period",
    "Soort Belasting": "Kind of tax",
    "Toelichting": "Explanation",
    "Type Toelichting": "Kind of explanation",
    "Type afschrift": "Type of copy",
    "Type beroepsprocedure": "Type of appeal procedure",
    "Type dossier": "Type of dossier",
    "Type kerkenbeleidsplan": "Type of church policy plan",
    "Type reglement/verordening": "Type of regulation or ordinance",
    "Van welke andere subsidies dan het Fietsfonds of Kopenhagenfonds heb je gebruik gemaakt?":
        "Which subsidies other than the Cycling Fund or the Copenhagen Fund did you use?",
    "Voeg hier de beslissing tot akteneming, goedkeuring of aanpassing van het budget of de budgetwijziging toe.":
        "Add the decision taking note of, approving or adjusting the budget or budget amendment.",
    "Voeg hier de beslissing tot goedkeuring, niet-goedkeuring of aanpassing van het (gewijzigde) meerjarenplan toe.":
        "Add the decision approving, not approving or adjusting the (amended) multi-year plan.",
    "Voeg hier de brief toe waarin je extra inlichtingen wil over een bepaalde beslissing van het (centraal) bestuur "
    "van de eredienst of waarin je het (centraal) bestuur van de eredienst op de hoogte brengt van een klacht tegen "
    "een beslissing van het (centraal) bestuur van de eredienst.":
        "Add the letter asking for more information about a decision of the (central) worship board, or informing "
        "the (central) worship board of a complaint against one of its decisions.",
    "Voeg hier de brief toe waarin je het eredienstbestuur en het centraal bestuur op de hoogte brengt van de "
    "onvolledigheid en onontvankelijkheid van een specifieke budget(wijziging) of meerjarenplan(wijziging). Door het "
    "versturen van deze brief wordt het eredienstbestuur geïnformeerd dat de toezichttermijn eigenlijk nog niet "
    "loopt.":
        "Add the letter informing the worship board and the central board that a specific budget (amendment) or "
        "multi-year plan (amendment) is incomplete and inadmissible. Sending it tells the worship board that the "
        "supervision term has not started yet.",
    "Voeg hier de brief toe waarin je het eredienstbestuur en het centraal bestuur op de hoogte brengt van de "
    "samenvoeging. Voor de rooms-katholieke eredienst betreft het hier het bisschoppelijk decreet.":
        "Add the letter informing the worship board and the central board of the merger. For the Roman Catholic "
        "worship this is the episcopal decree.",
    "Voeg hier de brief toe waarmee beroep wordt ingesteld tegen de beslissing van de gemeente- of provincieraad "
    "over een meerjarenplan(wijziging) of budget(wijziging) samen met alle bijhorende stukken óf de brief waarmee "
    "beroep wordt ingesteld tegen de gemaakte afspraken tussen het centraal bestuur en de gemeente- of "
    "provincieoverheid.":
        "Add the letter of appeal against the decision of the municipal or provincial council on a multi-year plan "
        "(amendment) or budget (amendment) with all its documents, or the letter of appeal against the agreements "
        "between the central board and the municipal or provincial authority.",
    "Voeg hier de eindrekening (met financieel gedeelte en toelichting), uittreksels werkingsrekeningen en "
    "patrimoniumrekeningen, en eventueel aanvullende nota toe.":
        "Add the final account (with financial part and explanation), extracts of the operating and asset accounts, "
        "and any additional note.",
    "Voeg hier de jaarrekening toe. Voor de besturen van de eredienst: voeg ook de uittreksels van de "
    "werkingsrekeningen en patrimoniumrekeningen, en eventueel aanvullende nota toe.":
        "Add the annual accounts. Worship boards also add the extracts of the operating and asset accounts and any "
        "additional note.",
    "Voeg hier de relevante bijlagen toe van uw erkenningszoekende bestuur.":
        "Add the relevant annexes of your board seeking recognition.",
    "Voeg hier een handhavingsbesluit toe.": "Add a decision upholding the decision.",
    "Voeg hier een link toe naar een webpagina, document of persbericht waar er meer informatie staat over de "
    "organisatie van de klimaattafel":
        "Add a link to a web page, document or press release with more information about the climate table",
    "Voeg hier een overzicht toe van: de gemeentelijke of provinciale toelagen (per bestuur van de eredienst), het "
    "totaal van die toelagen, de adviezen van het representatief orgaan, alle budgetten en/of budgetwijzigingen (met "
    "financiële nota’s, beleidsnota's en toelichting waarin alle wijzigingen worden geduid).":
        "Add an overview of: the municipal or provincial grants (per worship board), their total, the advice of the "
        "representative body, and all budgets and/or budget amendments (with financial notes, policy notes and an "
        "explanation of every change).",
    "Voeg hier een overzicht toe van: de gemeentelijke of provinciale toelagen per bestuur van de eredienst, het "
    "totaal van die toelagen, alle budgetten en/of budgetwijzigingen (met financiële nota’s, beleidsnota's en "
    "toelichting waarin alle wijzigingen worden geduid).":
        "Add an overview of: the municipal or provincial grants per worship board, their total, and all budgets "
        "and/or budget amendments (with financial notes, policy notes and an explanation of every change).",
    "Voeg hier een overzicht toe van: de gemeentelijke of provinciale toelagen per financieel boekjaar en per "
    "bestuur van de eredienst, het totaal van die toelagen, alle meerjarenplannen (met strategische nota’s "
    "financiële nota’s en eventuele afsprakennota's).":
        "Add an overview of: the municipal or provincial grants per financial year and per worship board, their "
        "total, and all multi-year plans (with strategic notes, financial notes and any agreement notes).",
    "Voeg hier een overzicht toe van: de overschotten en tekorten van de jaarrekeningen en de betaalde toelagen, "
    "alle jaarrekeningen (met financieel gedeelte en toelichting), uittreksels werkingsrekeningen en "
    "patrimoniumrekeningen en eventueel aanvullende nota’s.":
        "Add an overview of: the surpluses and deficits of the annual accounts and the grants paid, all annual "
        "accounts (with financial part and explanation), extracts of the operating and asset accounts and any "
        "additional notes.",
    "Voeg hier een reactie toe met alle bijhorende stukken.": "Add a response with all its documents.",
    "Voeg hier het (gewijzigde) meerjarenplan met strategische nota en financiële nota toe. Voor de besturen van de "
    "eredienst: voeg ook de eventueel individuele afsprakennota toe.":
        "Add the (amended) multi-year plan with strategic note and financial note. Worship boards also add any "
        "individual agreement note.",
    "Voeg hier het advies aan de provinciegouverneur over de jaarrekening toe.":
        "Add the advice to the provincial governor on the annual accounts.",
    "Voeg hier het budget of de budgetwijziging met financiële nota en beleidsnota, toelichting (waarin alle "
    "wijzigingen worden geduid) en advies van het representatief orgaan toe.":
        "Add the budget or budget amendment with financial note and policy note, an explanation of every change, "
        "and the advice of the representative body.",
    "Voeg hier het budget of de budgetwijziging met financiële nota, beleidsnota en toelichting (waarin alle "
    "wijzigingen worden geduid) toe.":
        "Add the budget or budget amendment with financial note, policy note and an explanation of every change.",
    "Voeg hier het dossier toe met alle bijhorende stukken.": "Add the dossier with all its documents.",
    "Voeg hier het schorsingsbesluit toe.": "Add the suspension decision.",
    "Voeg hier notulen en eventuele bijlagen toe.": "Add the minutes and any annexes.",
    "Welk beslissingsorgaan nam het besluit?": "Which governing body took the decision?",
    "Wijk/Straat/Adres": "Neighbourhood/street/address",
}

_CYCLE = {
    "Totaal aantal kilometers gerenoveerde eenrichtingsfietspaden in ": "Total kilometres of renovated one-way cycle paths in ",
    "Totaal aantal kilometers gerenoveerde tweerichtingsfietspaden in ": "Total kilometres of renovated two-way cycle paths in ",
    "Totaal aantal kilometers nieuwe eenrichtingsfietspaden in ": "Total kilometres of new one-way cycle paths in ",
    "Totaal aantal kilometers nieuwe tweerichtingsfietspaden in ": "Total kilometres of new two-way cycle paths in ",
}
for _dutch, _english in _CYCLE.items():
    for _year in range(2023, 2027):
        LABELS[f"{_dutch}{_year}"] = f"{_english}{_year}"

MESSAGES = {
    "De waarde komt niet uit de opgegeven codelijst.": "The value is not in the given code list.",
    "Differentiatie en bedrag opcentiem kunnen niet tegelijk ingevuld worden.":
        "Differentiation and a surcharge amount cannot both be filled in.",
    "Dit veld is verplicht.": "This field is required.",
    "Geef een geldig jaar op.": "Enter a valid year.",
    "Geef een geldige datum en tijd op.": "Enter a valid date and time.",
    "Geef een geldige datum op.": "Enter a valid date.",
    "Geen geldige waarde voor differentiatie.": "Not a valid value for differentiation.",
    "Geen negatieve waarden": "No negative values",
    "Gelieve een geldige URL op te geven. Zorg dat vooraan in de link altijd http://, https://, ftp:// of sftp:// staat.":
        "Enter a valid URL. Make sure the link always starts with http://, https://, ftp:// or sftp://.",
    "Gelieve minstens één URL of bestand op te geven.": "Add at least one file or one link.",
    "Gelieve minstens één URL op te geven.": "Add at least one link.",
    "Gelieve minstens één bestand op te geven.": "Add at least one file.",
    "Let op: datum ligt in de toekomst. Controleer uw keuze.": "Note: this date is in the future. Check your choice.",
    "Max. karakters overschreden.": "Maximum number of characters exceeded.",
    "Selecteer een waarde uit de lijst.": "Select a value from the list.",
    "Slechts één instantie van opcentiem wordt aanvaard": "Only one surcharge is accepted",
    "Slechts één waarde voor differentiatie wordt aanvaard.": "Only one value for differentiation is accepted.",
    "Artikels zonder document": "Articles without a document",
}
