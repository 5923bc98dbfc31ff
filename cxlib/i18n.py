"""Report labels in Swedish, English and Norwegian bokmål.

``t(key, lang)`` returns the label; a missing Norwegian label falls back to Swedish (closer
to bokmål than English is), and a missing key is a programming error (``KeyError``), caught
by the tests that check every key has sv and en.
"""

from __future__ import annotations

import pandas as pd

LANGUAGES = ("sv", "en", "nb")

LABELS: dict[str, dict[str, str]] = {
    # KPIs
    "kpi.nps": {"sv": "NPS", "en": "NPS", "nb": "NPS"},
    "kpi.csat": {"sv": "Nöjdhet (CSAT)", "en": "Satisfaction (CSAT)", "nb": "Tilfredshet (CSAT)"},
    "kpi.ces": {"sv": "Kundansträngning (CES)", "en": "Customer effort (CES)", "nb": "Kundeinnsats (CES)"},
    "kpi.ces_easy": {"sv": "Andel lätt (CES 5–7)", "en": "Share easy (CES 5–7)", "nb": "Andel enkelt (CES 5–7)"},
    "kpi.first_response_time_s": {"sv": "Första svarstid (median)", "en": "First response time (median)", "nb": "Første svartid (median)"},
    "kpi.first_response_time_p90_s": {"sv": "Första svarstid (p90)", "en": "First response time (p90)", "nb": "Første svartid (p90)"},
    "kpi.resolution_time_s": {"sv": "Lösningstid (median)", "en": "Resolution time (median)", "nb": "Løsningstid (median)"},
    "kpi.resolution_time_p90_s": {"sv": "Lösningstid (p90)", "en": "Resolution time (p90)", "nb": "Løsningstid (p90)"},
    "kpi.fcr": {"sv": "Löst vid första kontakt", "en": "First-contact resolution", "nb": "Løst ved første kontakt"},
    "kpi.abandonment": {"sv": "Avbrutna samtal", "en": "Abandonment", "nb": "Avbrutte henvendelser"},
    "kpi.contacts_per_1000_customers": {"sv": "Kontakter per 1 000 kunder", "en": "Contacts per 1,000 customers", "nb": "Kontakter per 1 000 kunder"},
    "kpi.churn_rate": {"sv": "Kundtapp (churn)", "en": "Churn rate", "nb": "Kundefrafall (churn)"},
    "kpi.retention_rate": {"sv": "Kundlojalitet (retention)", "en": "Retention rate", "nb": "Kundelojalitet (retention)"},
    "kpi.clv": {"sv": "Kundlivstidsvärde (CLV)", "en": "Customer lifetime value (CLV)", "nb": "Kundens livstidsverdi (CLV)"},
    # dimensions
    "dim.overall": {"sv": "Totalt", "en": "Overall", "nb": "Totalt"},
    "dim.channel": {"sv": "Kanal", "en": "Channel", "nb": "Kanal"},
    "dim.touchpoint": {"sv": "Kontaktpunkt", "en": "Touchpoint", "nb": "Kontaktpunkt"},
    "dim.segment": {"sv": "Segment", "en": "Segment", "nb": "Segment"},
    "dim.month": {"sv": "Månad", "en": "Month", "nb": "Måned"},
    "dim.area": {"sv": "Område", "en": "Area", "nb": "Område"},
    # columns
    "col.value": {"sv": "Värde", "en": "Value", "nb": "Verdi"},
    "col.interval": {"sv": "95 % intervall", "en": "95% interval", "nb": "95 % intervall"},
    "col.n": {"sv": "Antal", "en": "Count", "nb": "Antall"},
    "col.current": {"sv": "Nuläge", "en": "Current", "nb": "Nåsituasjon"},
    "col.desired": {"sv": "Önskat läge", "en": "Desired", "nb": "Ønsket situasjon"},
    "col.target": {"sv": "Mål", "en": "Target", "nb": "Mål"},
    "col.gap": {"sv": "Gap", "en": "Gap", "nb": "Gap"},
    "col.status": {"sv": "Status", "en": "Status", "nb": "Status"},
    "col.range": {"sv": "Spridning nuläge", "en": "Range of current", "nb": "Spredning nå"},
    "col.participants": {"sv": "Deltagare", "en": "Participants", "nb": "Deltakere"},
    "col.rank": {"sv": "Rang", "en": "Rank", "nb": "Rang"},
    # gap status
    "gap.met": {"sv": "Mål nått", "en": "Target met", "nb": "Mål nådd"},
    "gap.within_ci": {"sv": "Inom osäkerheten", "en": "Met within uncertainty", "nb": "Innenfor usikkerheten"},
    "gap.open": {"sv": "Gap kvar", "en": "Gap remains", "nb": "Gap gjenstår"},
    # steps
    "step.01_current_state": {"sv": "Nuläge", "en": "Current state", "nb": "Nåsituasjon"},
    "step.02_desired_state": {"sv": "Önskat läge", "en": "Desired state", "nb": "Ønsket situasjon"},
    "step.03_insight": {"sv": "Insikt", "en": "Insight", "nb": "Innsikt"},
    "step.status.ok": {"sv": "klart", "en": "done", "nb": "ferdig"},
    "step.status.failed": {"sv": "misslyckades", "en": "failed", "nb": "feilet"},
    "step.status.skipped": {"sv": "hoppades över", "en": "skipped", "nb": "hoppet over"},
    "step.status.interrupted": {"sv": "avbröts", "en": "interrupted", "nb": "avbrutt"},
    # charts
    "chart.kpi_by": {"sv": "{kpi} per {dim}", "en": "{kpi} by {dim}", "nb": "{kpi} per {dim}"},
    "chart.trend": {"sv": "{kpi} per månad", "en": "{kpi} by month", "nb": "{kpi} per måned"},
    "chart.volume": {"sv": "Kontaktvolym per kanal och månad", "en": "Contact volume by channel and month", "nb": "Kontaktvolum per kanal og måned"},
    "chart.maturity": {"sv": "Mognad: nuläge och önskat läge (1–5)", "en": "Maturity: current and desired (1–5)", "nb": "Modenhet: nå og ønsket (1–5)"},
    "chart.journey": {"sv": "Kundresan: {kpi} per kontaktpunkt", "en": "Customer journey: {kpi} by touchpoint", "nb": "Kundereisen: {kpi} per kontaktpunkt"},
    "chart.gaps": {"sv": "Gap mellan mål och nuläge", "en": "Gap between target and current state", "nb": "Gap mellom mål og nåsituasjon"},
    "chart.gap_share": {"sv": "Gap i andel av skalan", "en": "Gap as share of the scale", "nb": "Gap som andel av skalaen"},
    "chart.themes": {"sv": "Teman i kommentarerna efter ton", "en": "Themes in the comments by sentiment", "nb": "Temaer i kommentarene etter tone"},
    "chart.coverage": {"sv": "NPS per {dim} med 95 % intervall (grått: för få svar)", "en": "NPS by {dim} with 95% interval (grey: too few responses)", "nb": "NPS per {dim} med 95 % intervall (grått: for få svar)"},
    "chart.compare": {"sv": "NPS-skillnad mot övriga per {dim} (mörkt: säkerställd)", "en": "NPS difference from the rest by {dim} (dark: significant)", "nb": "NPS-forskjell mot resten per {dim} (mørkt: signifikant)"},
    "chart.gain": {"sv": "NPS-vinst utan kritikernas klagomål per tema", "en": "NPS gain without detractors' complaints by theme", "nb": "NPS-gevinst uten kritikernes klager per tema"},
    "chart.importance": {"sv": "Relativ vikt (andel av förklarad variation)", "en": "Relative importance (share of explained variance)", "nb": "Relativ vekt (andel av forklart variasjon)"},
    "chart.moments": {"sv": "Sanningens ögonblick: påverkan på totalt NPS", "en": "Moments of truth: impact on overall NPS", "nb": "Sannhetens øyeblikk: påvirkning på total NPS"},
    "axis.points": {"sv": "NPS-poäng", "en": "NPS points", "nb": "NPS-poeng"},
    "sentiment.negative": {"sv": "negativ", "en": "negative", "nb": "negativ"},
    "sentiment.neutral": {"sv": "neutral", "en": "neutral", "nb": "nøytral"},
    "sentiment.positive": {"sv": "positiv", "en": "positive", "nb": "positiv"},
    "col.responses": {"sv": "Svar", "en": "Responses", "nb": "Svar"},
    "col.contacts": {"sv": "Kontakter", "en": "Contacts", "nb": "Kontakter"},
    "col.response_rate": {"sv": "Svarsfrekvens", "en": "Response rate", "nb": "Svarprosent"},
    "col.width": {"sv": "Intervallbredd", "en": "Interval width", "nb": "Intervallbredde"},
    "col.needed": {"sv": "Svar som behövs (±10)", "en": "Responses needed (±10)", "nb": "Svar som trengs (±10)"},
    "col.missing": {"sv": "Svar som saknas", "en": "Responses missing", "nb": "Svar som mangler"},
    "col.too_small": {"sv": "För få svar", "en": "Too few responses", "nb": "For få svar"},
    "col.rest": {"sv": "Övriga", "en": "Rest", "nb": "Resten"},
    "col.diff": {"sv": "Skillnad", "en": "Difference", "nb": "Forskjell"},
    "col.p": {"sv": "p", "en": "p", "nb": "p"},
    "col.p_adjusted": {"sv": "p (korrigerat)", "en": "p (adjusted)", "nb": "p (korrigert)"},
    "col.verdict": {"sv": "Slutsats", "en": "Verdict", "nb": "Konklusjon"},
    "col.change": {"sv": "Förändring", "en": "Change", "nb": "Endring"},
    "col.theme": {"sv": "Tema", "en": "Theme", "nb": "Tema"},
    "col.share_comments": {"sv": "Andel av kommentarerna", "en": "Share of comments", "nb": "Andel av kommentarene"},
    "col.negative": {"sv": "Andel negativa", "en": "Share negative", "nb": "Andel negative"},
    "col.detractor_mentions": {"sv": "Bland kritiker", "en": "Among detractors", "nb": "Blant kritikere"},
    "col.gain": {"sv": "NPS-vinst", "en": "NPS gain", "nb": "NPS-gevinst"},
    "col.importance": {"sv": "Relativ vikt", "en": "Relative importance", "nb": "Relativ vekt"},
    "col.coef": {"sv": "Regressionskoefficient (0–10)", "en": "Regression coefficient (0–10)", "nb": "Regresjonskoeffisient (0–10)"},
    "col.stage": {"sv": "Fas", "en": "Stage", "nb": "Fase"},
    "col.impact": {"sv": "Påverkan på totalt NPS", "en": "Impact on overall NPS", "nb": "Påvirkning på total NPS"},
    "col.excess_churn": {"sv": "Extra förlorade kunder", "en": "Extra customers lost", "nb": "Ekstra tapte kunder"},
    "col.group": {"sv": "NPS-grupp", "en": "NPS group", "nb": "NPS-gruppe"},
    "col.customers": {"sv": "Kunder", "en": "Customers", "nb": "Kunder"},
    "col.churn_rate": {"sv": "Andel som lämnat", "en": "Share who left", "nb": "Andel som sluttet"},
    "col.relative_risk": {"sv": "Relativ risk mot ambassadörer", "en": "Relative risk vs promoters", "nb": "Relativ risiko mot ambassadører"},
    "col.behaviour": {"sv": "Beteende", "en": "Behaviour", "nb": "Atferd"},
    "col.share": {"sv": "Andel", "en": "Share", "nb": "Andel"},
    "col.tenure": {"sv": "Kundtid (år)", "en": "Tenure (years)", "nb": "Kundetid (år)"},
    "col.revenue": {"sv": "Årsintäkt (medel)", "en": "Annual revenue (mean)", "nb": "Årlig inntekt (snitt)"},
    "col.contacts_per_customer": {"sv": "Kontakter per kund och år", "en": "Contacts per customer a year", "nb": "Kontakter per kunde per år"},
    "col.outcome": {"sv": "Ärendets utfall", "en": "Outcome", "nb": "Sakens utfall"},
    "col.margin": {"sv": "Önskad felmarginal (±NPS-poäng)", "en": "Wanted margin (±NPS points)", "nb": "Ønsket feilmargin (±NPS-poeng)"},
    "col.worst_case": {"sv": "Svar som behövs, sämsta fall", "en": "Responses needed, worst case", "nb": "Svar som trengs, verste fall"},
    "col.observed": {"sv": "Svar som behövs med dagens fördelning", "en": "Responses needed at today's mix", "nb": "Svar som trengs med dagens fordeling"},
    "col.language": {"sv": "Språk", "en": "Language", "nb": "Språk"},
    "col.sentiment": {"sv": "Ton", "en": "Sentiment", "nb": "Tone"},
    "col.comment": {"sv": "Kommentar (personuppgifter borttagna)", "en": "Comment (personal data removed)", "nb": "Kommentar (personopplysninger fjernet)"},
    "verdict.higher": {"sv": "högre", "en": "higher", "nb": "høyere"},
    "verdict.lower": {"sv": "lägre", "en": "lower", "nb": "lavere"},
    "verdict.not significant": {"sv": "ej säkerställd", "en": "not significant", "nb": "ikke signifikant"},
    "verdict.too few": {"sv": "för få svar", "en": "too few", "nb": "for få svar"},
    "verdict.up": {"sv": "upp", "en": "up", "nb": "opp"},
    "verdict.down": {"sv": "ned", "en": "down", "nb": "ned"},
    "verdict.no significant change": {"sv": "ingen säkerställd förändring", "en": "no significant change", "nb": "ingen signifikant endring"},
    "group.detractor": {"sv": "kritiker (0–6)", "en": "detractors (0–6)", "nb": "kritikere (0–6)"},
    "group.passive": {"sv": "passiva (7–8)", "en": "passives (7–8)", "nb": "passive (7–8)"},
    "group.promoter": {"sv": "ambassadörer (9–10)", "en": "promoters (9–10)", "nb": "ambassadører (9–10)"},
    "behaviour.loyal": {"sv": "lojal (minst 3 år)", "en": "loyal (3 years or more)", "nb": "lojal (minst 3 år)"},
    "behaviour.not loyal": {"sv": "ej lojal", "en": "not loyal", "nb": "ikke lojal"},
    "word.yes": {"sv": "ja", "en": "yes", "nb": "ja"},
    "word.no": {"sv": "nej", "en": "no", "nb": "nei"},
    "col.mentions": {"sv": "Omnämnanden", "en": "Mentions", "nb": "Omtaler"},
    # report
    "report.title": {"sv": "Kundupplevelsestrategi", "en": "Customer experience strategy", "nb": "Kundeopplevelsesstrategi"},
    "report.headline": {"sv": "Nyckeltal", "en": "Headline KPIs", "nb": "Nøkkeltall"},
    "report.steps": {"sv": "Steg i arbetsboken", "en": "Workbook steps", "nb": "Steg i arbeidsboken"},
    "report.period": {"sv": "Period", "en": "Period", "nb": "Periode"},
    "report.generated": {"sv": "Skapad", "en": "Generated", "nb": "Laget"},
    "report.back": {"sv": "Till översikten", "en": "Back to overview", "nb": "Til oversikten"},
    "report.loading": {"sv": "Läser arbetsytan {name}", "en": "Loading workspace {name}", "nb": "Leser arbeidsområdet {name}"},
    "report.analysing_comments": {"sv": "Analyserar kommentarerna", "en": "Analysing the comments", "nb": "Analyserer kommentarene"},
    "report.files": {"sv": "Återkopplingslistor (CSV och Excel)", "en": "Close-the-loop lists (CSV and Excel)", "nb": "Oppfølgingslister (CSV og Excel)"},
    "report.findings": {"sv": "Slutsatser", "en": "Findings", "nb": "Funn"},
    "report.outside_period": {
        "sv": "Utanför perioden {start} – {end} (client.yaml) och därför inte med: {tables}.",
        "en": "Outside the period {start} – {end} (client.yaml) and therefore left out: {tables}.",
        "nb": "Utenfor perioden {start} – {end} (client.yaml) og derfor ikke med: {tables}.",
    },
    "report.outside_rows": {"sv": "{table} {n} av {total} rader", "en": "{table} {n} of {total} rows",
                            "nb": "{table} {n} av {total} rader"},
    "report.missing_columns": {
        "sv": "Det här avsnittet visas inte: det behöver värden i {needs} för perioden och urvalet. Saknas kolumnen i exporten, lägg till den och kör om.",
        "en": "This section is not shown: it needs values in {needs} for this period and selection. If the export lacks the column, add it and run again.",
        "nb": "Denne delen vises ikke: den trenger verdier i {needs} for perioden og utvalget. Mangler kolonnen i eksporten, legg den til og kjør på nytt.",
    },
    "report.column_in": {"sv": "kolumnen '{column}' i {table}", "en": "the column '{column}' in {table}",
                         "nb": "kolonnen '{column}' i {table}"},
    "report.missing_table": {"sv": "Tabellen '{table}' saknas: {what}", "en": "The table '{table}' is missing: {what}", "nb": "Tabellen '{table}' mangler: {what}"},
    # units
    "unit.pp": {"sv": "pe", "en": "pp", "nb": "pp"},
    # words
    "word.best": {"sv": "Bästa", "en": "Best", "nb": "Beste"},
    "word.worst": {"sv": "Svagaste", "en": "Weakest", "nb": "Svakeste"},
    "word.all": {"sv": "Alla", "en": "All", "nb": "Alle"},
    # findings, step 01
    "f01.nps": {
        "sv": "NPS är {value} (95 % konfidensintervall {low} till {high}), baserat på {n} svar.",
        "en": "NPS is {value} (95% confidence interval {low} to {high}), based on {n} responses.",
        "nb": "NPS er {value} (95 % konfidensintervall {low} til {high}), basert på {n} svar.",
    },
    "f01.channel_sig": {
        "sv": "{rank} kanal är {channel} med NPS {value}; {diff} poäng mot övriga kanaler, statistiskt säkerställt efter korrigering för många jämförelser ({p}).",
        "en": "{rank} channel is {channel} at NPS {value}; {diff} points against the other channels, significant after correcting for many comparisons ({p}).",
        "nb": "{rank} kanal er {channel} med NPS {value}; {diff} poeng mot øvrige kanaler, statistisk signifikant etter korreksjon for mange sammenligninger ({p}).",
    },
    "f01.channel_ns": {
        "sv": "{rank} kanal är {channel} med NPS {value}, men skillnaden mot övriga kanaler ({diff} poäng) är inte statistiskt säkerställd efter korrigering för många jämförelser ({p}).",
        "en": "{rank} channel is {channel} at NPS {value}, but the difference from the other channels ({diff} points) is not significant after correcting for many comparisons ({p}).",
        "nb": "{rank} kanal er {channel} med NPS {value}, men forskjellen mot øvrige kanaler ({diff} poeng) er ikke statistisk signifikant etter korreksjon for mange sammenligninger ({p}).",
    },
    "f01.channel_few": {
        "sv": "{rank} kanal är {channel} med NPS {value}; den eller övriga kanaler har för få svar för att skillnaden ({diff} poäng) ska kunna prövas.",
        "en": "{rank} channel is {channel} at NPS {value}; it or the other channels have too few answers to test the difference ({diff} points).",
        "nb": "{rank} kanal er {channel} med NPS {value}; den eller de øvrige kanalene har for få svar til at forskjellen ({diff} poeng) kan prøves.",
    },
    "f01.journey_low": {
        "sv": "Lägst i kundresan ligger kontaktpunkten {touchpoint} ({stage}) med NPS {value} av {n} svar.",
        "en": "The lowest point of the journey is the touchpoint {touchpoint} ({stage}) at NPS {value} from {n} responses.",
        "nb": "Lavest i kundereisen ligger kontaktpunktet {touchpoint} ({stage}) med NPS {value} av {n} svar.",
    },
    "f01.volume": {
        "sv": "Under perioden kom {total} kontakter; flest i kanalen {channel} ({share}).",
        "en": "The period had {total} contacts; most of them in the channel {channel} ({share}).",
        "nb": "I perioden kom {total} kontakter; flest i kanalen {channel} ({share}).",
    },
    "f01.kpi": {
        "sv": "{measure}: {value} (95 % intervall {low} till {high}).",
        "en": "{measure}: {value} (95% interval {low} to {high}).",
        "nb": "{measure}: {value} (95 % intervall {low} til {high}).",
    },
    "f01.maturity": {
        "sv": "Störst mognadsgap i självskattningen: {area}, från {current} till önskade {desired} (medel av {n} deltagare, skala 1–5).",
        "en": "Largest maturity gap in the self-assessment: {area}, from {current} to a desired {desired} (mean of {n} participants, scale 1–5).",
        "nb": "Størst modenhetsgap i egenvurderingen: {area}, fra {current} til ønsket {desired} (snitt av {n} deltakere, skala 1–5).",
    },
    # findings, step 02
    "f02.gap": {
        "sv": "Gap nr {rank}: {measure} ligger på {current} mot målet {target} ({share} av skalan).",
        "en": "Gap no. {rank}: {measure} is at {current} against a target of {target} ({share} of the scale).",
        "nb": "Gap nr. {rank}: {measure} ligger på {current} mot målet {target} ({share} av skalaen).",
    },
    "f02.within_ci": {
        "sv": "Inom osäkerheten redan nått (målet ligger inom nulägets 95 % intervall): {kpis}.",
        "en": "Already met within the uncertainty (the target lies inside the current 95% interval): {kpis}.",
        "nb": "Allerede nådd innenfor usikkerheten (målet ligger innenfor dagens 95 % intervall): {kpis}.",
    },
    "f02.met": {
        "sv": "{n} av {total} mål är redan nådda: {kpis}.",
        "en": "{n} of {total} targets are already met: {kpis}.",
        "nb": "{n} av {total} mål er allerede nådd: {kpis}.",
    },
    "f02.source_saved": {
        "sv": "Nuläget kommer från steg 01 (sparat {created} UTC).",
        "en": "The current state comes from step 01 (saved {created} UTC).",
        "nb": "Nåsituasjonen kommer fra steg 01 (lagret {created} UTC).",
    },
    "f02.source_computed": {
        "sv": "Steg 01 har inte körts till den här rapportmappen; nuläget räknades fram direkt.",
        "en": "Step 01 has not been run into this report folder; the current state was computed directly.",
        "nb": "Steg 01 er ikke kjørt til denne rapportmappen; nåsituasjonen ble beregnet direkte.",
    },
    "f02.source_foreign": {
        "sv": "Det sparade resultatet av steg 01 i rapportmappen räknades fram från andra indata eller för en annan kund och används inte; nuläget räknades fram direkt från arbetsytan.",
        "en": "The saved step 01 result in the report folder was computed from other inputs or for another client and is not used; the current state was computed directly from the workspace.",
        "nb": "Det lagrede resultatet av steg 01 i rapportmappen ble beregnet fra andre inndata eller for en annen kunde og brukes ikke; nåsituasjonen ble beregnet direkte fra arbeidsområdet.",
    },
    "f02.maturity": {
        "sv": "Största önskade mognadslyft: {area} (+{gap} nivåer).",
        "en": "Largest desired maturity step: {area} (+{gap} levels).",
        "nb": "Største ønskede modenhetsløft: {area} (+{gap} nivåer).",
    },
    # findings, step 03
    "f03.coverage_ok": {
        "sv": "Alla {total} kanaler har tillräckligt många svar för ett NPS med högst ±10 poängs osäkerhet.",
        "en": "All {total} channels have enough responses for an NPS with at most ±10 points of uncertainty.",
        "nb": "Alle {total} kanaler har nok svar til en NPS med høyst ±10 poengs usikkerhet.",
    },
    "f03.coverage_small": {
        "sv": "{n} av {total} kanaler har för få svar för ett NPS inom ±10 poäng ({groups}); det behövs {needed} svar till.",
        "en": "{n} of {total} channels have too few responses for an NPS within ±10 points ({groups}); {needed} more responses are needed.",
        "nb": "{n} av {total} kanaler har for få svar til en NPS innenfor ±10 poeng ({groups}); det trengs {needed} svar til.",
    },
    "f03.compare_higher": {
        "sv": "{group} har {diff} poäng högre NPS än övriga, statistiskt säkerställt efter korrigering för många jämförelser ({p}).",
        "en": "{group} has an NPS {diff} points above the rest, significant after correcting for many comparisons ({p}).",
        "nb": "{group} har {diff} poeng høyere NPS enn resten, statistisk signifikant etter korreksjon for mange sammenligninger ({p}).",
    },
    "f03.compare_lower": {
        "sv": "{group} har {diff} poäng lägre NPS än övriga, statistiskt säkerställt efter korrigering för många jämförelser ({p}).",
        "en": "{group} has an NPS {diff} points below the rest, significant after correcting for many comparisons ({p}).",
        "nb": "{group} har {diff} poeng lavere NPS enn resten, statistisk signifikant etter korreksjon for mange sammenligninger ({p}).",
    },
    "f03.compare_ns": {
        "sv": "Ingen {dim} skiljer sig statistiskt säkerställt från övriga; skillnaderna i NPS kan vara slump.",
        "en": "No {dim} differs significantly from the rest; the NPS differences may be chance.",
        "nb": "Ingen {dim} skiller seg statistisk signifikant fra resten; forskjellene i NPS kan være tilfeldige.",
    },
    "f03.trend_sig": {
        "sv": "NPS ändras med {slope} poäng per månad (95 % intervall {low} till {high}, {p}): en säkerställd trend.",
        "en": "NPS changes by {slope} points a month (95% interval {low} to {high}, {p}): a significant trend.",
        "nb": "NPS endres med {slope} poeng per måned (95 % intervall {low} til {high}, {p}): en signifikant trend.",
    },
    "f03.trend_ns": {
        "sv": "Ingen säkerställd trend i NPS under perioden ({slope} poäng per månad, 95 % intervall {low} till {high}, {p}).",
        "en": "No significant NPS trend over the period ({slope} points a month, 95% interval {low} to {high}, {p}).",
        "nb": "Ingen signifikant trend i NPS i perioden ({slope} poeng per måned, 95 % intervall {low} til {high}, {p}).",
    },
    "f03.comments": {
        "sv": "{n} kommentarer analyserades (språk: {languages}); {pii} personuppgifter togs bort före analysen.",
        "en": "{n} comments were analysed (languages: {languages}); {pii} items of personal data were removed first.",
        "nb": "{n} kommentarer ble analysert (språk: {languages}); {pii} personopplysninger ble fjernet før analysen.",
    },
    "f03.driver": {
        "sv": "Största drivkraften är {theme}: utan dess negativa omnämnanden bland kritiker vore NPS {gain} poäng högre (95 % intervall {low} till {high}); temat förklarar {importance} av den förklarade variationen.",
        "en": "The largest driver is {theme}: without its negative mentions among detractors NPS would be {gain} points higher (95% interval {low} to {high}); the theme carries {importance} of the explained variance.",
        "nb": "Største driver er {theme}: uten de negative omtalene blant kritikere ville NPS vært {gain} poeng høyere (95 % intervall {low} til {high}); temaet forklarer {importance} av den forklarte variasjonen.",
    },
    "f03.moment": {
        "sv": "Viktigaste sanningens ögonblick: {touchpoint} (NPS {nps} mot {rest} för övriga, {share} av svaren) drar totalt NPS {direction} med {impact} poäng.",
        "en": "The main moment of truth: {touchpoint} (NPS {nps} against {rest} for the rest, {share} of responses) pulls overall NPS {direction} by {impact} points.",
        "nb": "Viktigste sannhetens øyeblikk: {touchpoint} (NPS {nps} mot {rest} for resten, {share} av svarene) trekker total NPS {direction} med {impact} poeng.",
    },
    "f03.churn_sig": {
        "sv": "NPS förutsäger kundtapp här: {det} av kritikerna lämnade efter sitt svar mot {pro} av ambassadörerna ({p}).",
        "en": "NPS predicts churn here: {det} of detractors left after answering against {pro} of promoters ({p}).",
        "nb": "NPS forutsier kundefrafall her: {det} av kritikerne sluttet etter svaret mot {pro} av ambassadørene ({p}).",
    },
    "f03.churn_ns": {
        "sv": "Kundtappet skiljer sig inte säkerställt mellan NPS-grupperna ({det} av kritikerna, {pro} av ambassadörerna, {p}).",
        "en": "Churn does not differ significantly between NPS groups ({det} of detractors, {pro} of promoters, {p}).",
        "nb": "Kundefrafallet skiller seg ikke signifikant mellom NPS-gruppene ({det} av kritikerne, {pro} av ambassadørene, {p}).",
    },
    "f03.captives": {
        "sv": "{n} kunder ({share} av de svarande) är lojala i beteende men kritiker i attityd: de stannar men rekommenderar inte. De har i snitt varit kunder i {tenure} år, står för {revenue} i årsintäkt och är mest segmentet {segment}.",
        "en": "{n} customers ({share} of respondents) are loyal in behaviour but detractors in attitude: they stay but would not recommend. They have been customers for {tenure} years on average, bring {revenue} in annual revenue and are mostly in the segment {segment}.",
        "nb": "{n} kunder ({share} av de som svarte) er lojale i atferd men kritikere i holdning: de blir, men anbefaler ikke. De har i snitt vært kunder i {tenure} år, står for {revenue} i årlig inntekt og er mest i segmentet {segment}.",
    },
    "f03.recovery": {
        "sv": "Service recovery, NPS efter hur kundens ärende gick: {outcomes}.",
        "en": "Service recovery, NPS by what happened to the customer's problem: {outcomes}.",
        "nb": "Service recovery, NPS etter hvordan kundens sak gikk: {outcomes}.",
    },
    "rec.solved_at_first_contact": {"sv": "löst vid första kontakten", "en": "solved at first contact", "nb": "løst ved første kontakt"},
    "rec.solved_later": {"sv": "löst senare", "en": "solved later", "nb": "løst senere"},
    "rec.not_solved": {"sv": "inte löst", "en": "not solved", "nb": "ikke løst"},
    "rec.no_problem": {"sv": "inget ärende", "en": "no problem", "nb": "ingen sak"},
    "word.down": {"sv": "ned", "en": "down", "nb": "ned"},
    "word.up": {"sv": "upp", "en": "up", "nb": "opp"},
    "f03.loop": {
        "sv": "Återkopplingslistor: {callbacks} kritiker att ringa upp ({high} med hög prioritet) och {promoters} ambassadörer att be om rekommendation.",
        "en": "Close-the-loop lists: {callbacks} detractors to call back ({high} high priority) and {promoters} promoters to ask for a referral.",
        "nb": "Oppfølgingslister: {callbacks} kritikere å ringe tilbake ({high} med høy prioritet) og {promoters} ambassadører å be om anbefaling.",
    },
    "c03.theme": {"sv": "Åtgärda grundorsakerna bakom {theme}", "en": "Fix the root causes behind {theme}", "nb": "Rett opp grunnårsakene bak {theme}"},
    "c03.loop": {"sv": "Ring upp kritiker inom 48 timmar (stäng loopen)", "en": "Call detractors back within 48 hours (close the loop)", "nb": "Ring kritikere tilbake innen 48 timer (lukk sløyfen)"},
    "effect.nps_points": {
        "sv": "{value} NPS-poäng (95 % intervall {low} till {high})",
        "en": "{value} NPS points (95% interval {low} to {high})",
        "nb": "{value} NPS-poeng (95 % intervall {low} til {high})",
    },
    "effect.contacts_per_year": {
        "sv": "{value} kontakter per år (95 % intervall {low} till {high})",
        "en": "{value} contacts a year (95% interval {low} to {high})",
        "nb": "{value} henvendelser per år (95 % intervall {low} til {high})",
    },
    "effect.fte": {
        "sv": "{value} årsarbetskrafter (95 % intervall {low} till {high})",
        "en": "{value} FTE (95% interval {low} to {high})",
        "nb": "{value} årsverk (95 % intervall {low} til {high})",
    },
    "effect.cost_per_year": {
        "sv": "{value} per år (95 % intervall {low} till {high})",
        "en": "{value} a year (95% interval {low} to {high})",
        "nb": "{value} per år (95 % intervall {low} til {high})",
    },
    "effect.customers_retained_per_year": {
        "sv": "{value} kunder per år som annars hade lämnat (95 % intervall {low} till {high})",
        "en": "{value} customers a year who would otherwise have left (95% interval {low} to {high})",
        "nb": "{value} kunder per år som ellers ville sluttet (95 % intervall {low} til {high})",
    },
    "effect.reach": {"sv": "når {n} kunder per år", "en": "reaches {n} customers a year", "nb": "når {n} kunder per år"},
    "effect.unknown": {
        "sv": "effekten går inte att skatta ur data", "en": "effect not estimable from the data",
        "nb": "effekten kan ikke anslås ut fra dataene",
    },
    "candidate.sentence": {"sv": "{name}{owner} – påverkar {kpi}: {effects}.", "en": "{name}{owner} – moves {kpi}: {effects}.",
                           "nb": "{name}{owner} – påvirker {kpi}: {effects}."},
    "report.candidates": {"sv": "Förslag till initiativ", "en": "Candidate initiatives", "nb": "Forslag til initiativer"},
    # close-the-loop columns
    "loop.priority": {"sv": "Prioritet", "en": "Priority", "nb": "Prioritet"},
    "loop.high": {"sv": "hög", "en": "high", "nb": "høy"},
    "loop.medium": {"sv": "medel", "en": "medium", "nb": "middels"},
    "loop.low": {"sv": "låg", "en": "low", "nb": "lav"},
    "loop.response_id": {"sv": "Svars-id", "en": "Response id", "nb": "Svar-id"},
    "loop.customer_id": {"sv": "Kund-id", "en": "Customer id", "nb": "Kunde-id"},
    "loop.date": {"sv": "Datum", "en": "Date", "nb": "Dato"},
    "loop.channel": {"sv": "Kanal", "en": "Channel", "nb": "Kanal"},
    "loop.touchpoint": {"sv": "Kontaktpunkt", "en": "Touchpoint", "nb": "Kontaktpunkt"},
    "loop.nps": {"sv": "NPS-betyg (0–10)", "en": "NPS score (0–10)", "nb": "NPS-score (0–10)"},
    "loop.themes": {"sv": "Teman", "en": "Themes", "nb": "Temaer"},
    "loop.owner": {"sv": "Föreslagen ansvarig avdelning", "en": "Suggested owning department", "nb": "Foreslått ansvarlig avdeling"},
    "loop.comment": {"sv": "Kommentar (personuppgifter borttagna)", "en": "Comment (personal data removed)", "nb": "Kommentar (personopplysninger fjernet)"},
    "loop.annual_revenue": {"sv": "Årsintäkt", "en": "Annual revenue", "nb": "Årlig inntekt"},
    "loop.churned": {"sv": "Har lämnat", "en": "Has left", "nb": "Har sluttet"},
    # missing tables: what they would show and how to provide them
    "missing.contacts": {
        "sv": "lägg till contacts.csv (eller .xlsx/.parquet) med en rad per kundkontakt för att se svarstider, lösningsgrad och kontaktvolymer per kanal.",
        "en": "add contacts.csv (or .xlsx/.parquet) with one row per customer contact to see response times, resolution and contact volumes by channel.",
        "nb": "legg til contacts.csv (eller .xlsx/.parquet) med én rad per kundekontakt for å se svartider, løsningsgrad og kontaktvolum per kanal.",
    },
    "missing.customers": {
        "sv": "lägg till customers.csv med en rad per kund för att se kundtapp, lojalitet och kundlivstidsvärde.",
        "en": "add customers.csv with one row per customer to see churn, retention and customer lifetime value.",
        "nb": "legg til customers.csv med én rad per kunde for å se kundefrafall, lojalitet og livstidsverdi.",
    },
    "missing.maturity": {
        "sv": "lägg till maturity.csv med workshopdeltagarnas skattning (1–5) av nuläge och önskat läge per område för att se mognadsprofilen.",
        "en": "add maturity.csv with the workshop participants' scores (1–5) of current and desired level per area to see the maturity profile.",
        "nb": "legg til maturity.csv med workshopdeltakernes vurdering (1–5) av nå- og ønsket nivå per område for å se modenhetsprofilen.",
    },
}


def t(key: str, lang: str = "sv", **fmt) -> str:
    """Label ``key`` in ``lang`` (sv, en, nb), formatted with ``fmt``."""
    entry = LABELS[key]
    text = entry.get(lang) or entry.get("sv" if lang == "nb" else "en") or entry["en"]
    return text.format(**fmt) if fmt else text


def kpi_label(kpi: str, lang: str = "sv") -> str:
    """Human label of a KPI id."""
    return t(f"kpi.{kpi}", lang)


def fmt_number(x: float | None, decimals: int = 0, lang: str = "sv") -> str:
    """A number with the language's separators: ``1 234,5`` (sv, nb) or ``1,234.5`` (en)."""
    if x is None or x != x:
        return "–"
    text = f"{x:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", "\u00a0").replace(".", ",")


def fmt_p(p: float, lang: str = "sv") -> str:
    """A p-value as text: ``p = 0,034`` or ``p < 0,001``."""
    return "p < " + fmt_number(0.001, 3, lang) if p < 0.001 else "p = " + fmt_number(p, 3, lang)


def fmt_value(x: float | None, unit: str, lang: str = "sv", currency: str = "SEK") -> str:
    """A KPI value in its unit: NPS points ``+12``, shares ``84 %``, seconds ``3 min``, money ``12 300 SEK``.

    A missing value (``None``, NaN or pandas' ``NA`` of nullable integers) is shown as ``–``.
    """
    if x is None or pd.isna(x):
        return "–"
    if unit == "points":
        return ("+" if x > 0 else "") + fmt_number(x, 0, lang)
    if unit == "count":
        return fmt_number(x, 0, lang)
    if unit == "share":
        return fmt_number(100 * x, 0, lang) + ("%" if lang == "en" else "\u00a0%")
    if unit == "score":
        return fmt_number(x, 2, lang)
    if unit == "seconds":
        for size, suffix in ((86400, "d"), (3600, "h"), (60, "min")):
            if abs(x) >= size:
                return fmt_number(x / size, 1, lang) + "\u00a0" + suffix
        return fmt_number(x, 0, lang) + "\u00a0s"
    if unit == "currency":
        return fmt_number(x, 0, lang) + "\u00a0" + currency
    return fmt_number(x, 1 if abs(x) < 100 else 0, lang)
