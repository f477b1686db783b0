"""French text of the interface, keyed by the English source string (see ui/i18n)."""

from __future__ import annotations

FRENCH: dict[str, str] = {
    # about_dialog
    "Dossier is free software under the GNU GPL, version 3 or later.":
        "Dossier est un logiciel libre sous licence GNU GPL, version 3 ou ultérieure.",
    "It never connects to the network.": "Il ne se connecte jamais au réseau.",
    "About Dossier": "À propos de Dossier",
    "Offline encrypted case archive for investigative journalists.":
        "Archive chiffrée et hors ligne des enquêtes, pour les journalistes d’investigation.",
    "Component": "Composant",
    "Version": "Version",
    "Licence": "Licence",
    # case_panel
    "New case…": "Nouvelle enquête…",
    "Rename case…": "Renommer l’enquête…",
    "Delete case…": "Supprimer l’enquête…",
    "Cases": "Enquêtes",
    "New": "Nouvelle",
    "Rename": "Renommer",
    "Delete": "Supprimer",
    "Delete case": "Supprimer l’enquête",
    "Destroy the case": "Détruire l’enquête",
    "New case": "Nouvelle enquête",
    "Name of the case:": "Nom de l’enquête :",
    "Case created.": "Enquête créée.",
    "Rename case": "Renommer l’enquête",
    "New name:": "Nouveau nom :",
    "Case destroyed.": "Enquête détruite.",
    "Delete the case “{name}”?": "Supprimer l’enquête « {name} » ?",
    "Its {n} documents, quotes, letters and notes are destroyed: their key is erased, so "
    "nothing can be recovered from this vault. Copies of the vault made before now still hold "
    "the case.":
        "Ses {n} documents, citations, courriers et notes sont détruits : leur clé est effacée, "
        "rien ne peut plus être récupéré de ce coffre. Les copies du coffre faites avant "
        "maintenant contiennent encore l’enquête.",
    # contents_panel, documents_model
    "Documents": "Documents",
    "Open": "Ouvrir",
    "Delete document…": "Supprimer le document…",
    "Delete document": "Supprimer le document",
    "Delete “{title}” from the case? Its original and its text are destroyed.":
        "Retirer « {title} » de l’enquête ? Son original et son texte sont détruits.",
    "Document": "Document",
    "Date": "Date",
    "Pages": "Pages",
    # errors
    "Dossier hit an internal error.": "Dossier a rencontré une erreur interne.",
    "Dossier": "Dossier",
    "Dossier: internal error": "Dossier : erreur interne",
    "Dossier hit a bug and could not finish this operation. Your vault is safe: nothing "
    "half-done was saved. Nothing has been sent anywhere; to report the bug, copy the details "
    "below (they hold no document content).":
        "Dossier a rencontré un bogue et n’a pas pu terminer cette opération. Votre coffre est "
        "intact : rien d’inachevé n’a été enregistré. Rien n’a été envoyé nulle part ; pour "
        "signaler le bogue, copiez les détails ci-dessous (ils ne contiennent aucun contenu "
        "de document).",
    "Copy details": "Copier les détails",
    "The system refused the operation: {reason}.": "Le système a refusé l’opération : {reason}.",
    # file_dialogs
    "Import files": "Importer des fichiers",
    "Documents ({patterns})": "Documents ({patterns})",
    # icons: kinds
    "Articles": "Articles",
    "Letters": "Courriers",
    "Replies": "Réponses",
    "Interviews": "Entretiens",
    "Sources": "Sources",
    "Notes": "Notes",
    "article": "article",
    "letter": "courrier",
    "reply": "réponse",
    "interview": "entretien",
    "source": "source",
    "note": "note",
    # import_dialog
    "Import documents": "Importer des documents",
    "Read scanned pages with OCR (slower)": "Lire les pages scannées par OCR (plus lent)",
    "Import": "Importer",
    "Dates as YYYY-MM-DD; leave empty to use the file's own.":
        "Dates au format AAAA-MM-JJ ; laisser vide pour reprendre celle du fichier.",
    "File": "Fichier",
    "Kind": "Type",
    "Title": "Titre",
    "Leave empty to use the title found in the file":
        "Laisser vide pour reprendre le titre trouvé dans le fichier",
    "{n} files. Kind for all:": "{n} fichiers. Type pour tous :",
    # import_panel
    "Waiting": "En attente",
    "Import progress": "Progression de l’import",
    "Cancel": "Annuler",
    "Enter password…": "Saisir le mot de passe…",
    "No imports.": "Aucun import.",
    "Clear finished": "Effacer les terminés",
    "Cancel all": "Tout annuler",
    "Starting…": "Démarrage…",
    "Imported": "Importé",
    "Protected PDF": "PDF protégé",
    "Password needed": "Mot de passe requis",
    "Cancelling…": "Annulation…",
    "Cancelled: nothing was kept": "Annulé : rien n’a été conservé",
    "Cancelled": "Annulé",
    "Password of {name}:": "Mot de passe de {name} :",
    "{done} imported, {failed} refused, {left} to go":
        "{done} importés, {failed} refusés, {left} restants",
    "Failed": "Échec",
    "Refused": "Refusé",
    # inspector_panel
    "Ongoing": "En cours",
    "Published": "Publiée",
    "Archived": "Archivée",
    "Case": "Enquête",
    "Name": "Nom",
    "Description": "Description",
    "Status": "État",
    "Published on": "Publiée le",
    "Created": "Créée le",
    "comma-separated": "séparés par des virgules",
    "Outlet": "Média",
    "Author": "Auteur",
    "Tags": "Étiquettes",
    "Nothing selected": "Aucune sélection",
    "YYYY-MM-DD": "AAAA-MM-JJ",
    "Save": "Enregistrer",
    "Saved.": "Enregistré.",
    "Type": "Format",
    "Size": "Taille",
    "Pages read by OCR": "Pages lues par OCR",
    "Language": "Langue",
    # main_window, menus
    "Imports": "Imports",
    "Vault unlocked.": "Coffre déverrouillé.",
    "Vault locked.": "Coffre verrouillé.",
    "Select or create a case first.": "Sélectionnez ou créez d’abord une enquête.",
    "No files to import there.": "Aucun fichier à importer ici.",
    "This is the sample vault: its passphrase is filled in.":
        "Voici le coffre d’exemple : sa phrase de passe est déjà saisie.",
    "This is the sample vault: its passphrase is {passphrase}.":
        "Voici le coffre d’exemple : sa phrase de passe est {passphrase}.",
    "This is the sample vault: its passphrase was printed in the terminal.":
        "Voici le coffre d’exemple : sa phrase de passe a été affichée dans le terminal.",
    "Vault: {name}": "Coffre : {name}",
    "Page {label} ({n} of {total})": "Page {label} ({n} sur {total})",
    "Import a folder": "Importer un dossier",
    "Lock the vault: keys and decrypted data leave memory":
        "Verrouiller le coffre : les clés et les données déchiffrées quittent la mémoire",
    "&File": "&Fichier",
    "&Edit": "&Édition",
    "&View": "&Affichage",
    "&Case": "&Enquête",
    "&Help": "&Aide",
    "Import files…": "Importer des fichiers…",
    "{name}: “{text}” is not a date; write it as YYYY-MM-DD (e.g. 2023-12-31) or leave it empty.":
        "{name} : « {text} » n’est pas une date ; écrivez-la sous la forme AAAA-MM-JJ "
        "(par exemple 2023-12-31) ou laissez-la vide.",
    "This case has no documents yet: import files (File › Import files…) or drop them here.":
        "Cette enquête n’a pas encore de documents : importez des fichiers (Fichier › Importer "
        "des fichiers…) ou déposez-les ici.",
    "Import a folder…": "Importer un dossier…",
    "Lock": "Verrouiller",
    "Preferences…": "Préférences…",
    "Quit": "Quitter",
    "Find…": "Rechercher…",
    # passphrase
    "Very weak": "Très faible",
    "Weak": "Faible",
    "Fair": "Moyenne",
    "Strong": "Forte",
    "Very strong": "Très forte",
    "Good. Write it down somewhere safe: it cannot be recovered.":
        "Bien. Notez-la en lieu sûr : elle ne peut pas être récupérée.",
    "Acceptable. Five or more random words would be stronger.":
        "Acceptable. Cinq mots aléatoires ou plus seraient plus sûrs.",
    "Too easy to guess. Use four or more random words, or 14+ mixed characters.":
        "Trop facile à deviner. Utilisez au moins quatre mots aléatoires, ou 14 caractères "
        "variés.",
    # preferences_dialog
    "Preferences": "Préférences",
    " min": " min",
    "Never": "Jamais",
    "Automatic (system language)": "Automatique (langue du système)",
    "A new language applies the next time Dossier starts.":
        "Une nouvelle langue s’applique au prochain démarrage de Dossier.",
    "Lock the vault after inactivity": "Verrouiller le coffre après inactivité",
    # search
    "p. {label}": "p. {label}",
    "Search": "Recherche",
    "Search (Ctrl+F)": "Rechercher (Ctrl+F)",
    "This case": "Cette enquête",
    "All cases": "Toutes les enquêtes",
    "All kinds": "Tous les types",
    "Person": "Personne",
    "From (YYYY-MM-DD)": "Du (AAAA-MM-JJ)",
    "To (YYYY-MM-DD)": "Au (AAAA-MM-JJ)",
    "Search results": "Résultats de recherche",
    "Searching…": "Recherche…",
    "No results.": "Aucun résultat.",
    "1 result": "1 résultat",
    "{n} results": "{n} résultats",
    # unlock_panel
    "Encrypted archive for investigations. Everything stays on this computer.":
        "Archive chiffrée pour vos enquêtes. Tout reste sur cet ordinateur.",
    "Message": "Message",
    "Vault folder": "Dossier du coffre",
    "Folder of the vault": "Dossier du coffre",
    "Browse…": "Parcourir…",
    "Passphrase": "Phrase de passe",
    "Unlock": "Déverrouiller",
    "Create a new vault…": "Créer un nouveau coffre…",
    "Vault": "Coffre",
    "Location of the new vault": "Emplacement du nouveau coffre",
    "New passphrase": "Nouvelle phrase de passe",
    "Confirm the passphrase": "Confirmer la phrase de passe",
    "Create the vault": "Créer le coffre",
    "Open an existing vault instead": "Ouvrir plutôt un coffre existant",
    "Location": "Emplacement",
    "Vault name": "Nom du coffre",
    "Confirm": "Confirmation",
    "Choose the vault folder": "Choisir le dossier du coffre",
    "Where to create the vault": "Où créer le coffre",
    "Unlocking… (the key derivation takes a moment on purpose)":
        "Déverrouillage… (le calcul de la clé prend volontairement un moment)",
    "Creating the vault…": "Création du coffre…",
    "Choose the folder of a vault first.": "Choisissez d’abord le dossier d’un coffre.",
    "Type the vault's passphrase.": "Saisissez la phrase de passe du coffre.",
    "Give the vault a name.": "Donnez un nom au coffre.",
    "The two passphrases differ. Type the same one twice.":
        "Les deux phrases de passe diffèrent. Saisissez deux fois la même.",
    "Wrong passphrase. Check Caps Lock and the keyboard layout, then try again.":
        "Phrase de passe incorrecte. Vérifiez le verrouillage des majuscules et la disposition "
        "du clavier, puis réessayez.",
    "Use four or more random words.": "Utilisez au moins quatre mots aléatoires.",
    "This vault is open in another Dossier window or command. Close it, then try again.":
        "Ce coffre est ouvert dans une autre fenêtre ou commande Dossier. Fermez-la, puis "
        "réessayez.",
    "The passphrase needs at least {n} characters.":
        "La phrase de passe doit compter au moins {n} caractères.",
    "There is no vault in this folder. Check the path, or create a vault.":
        "Il n’y a pas de coffre dans ce dossier. Vérifiez le chemin, ou créez un coffre.",
    "This vault cannot be opened: {reason}": "Ce coffre ne peut pas être ouvert : {reason}",
    # viewer
    "Zoom in": "Zoom avant",
    "Zoom out": "Zoom arrière",
    "Fit width": "Pleine largeur",
    "Previous hit": "Occurrence précédente",
    "Previous page": "Page précédente",
    "Audit trail": "Journal d’audit",
    "Audit trail…": "Journal d’audit…",
    "Only this case": "Seulement cette enquête",
    "Verify the chain": "Vérifier la chaîne",
    "When": "Quand",
    "Action": "Action",
    "Details": "Détails",
    "✔ The audit trail is intact: {n} entries, each linked to the one before.":
        "✔ Le journal d’audit est intact : {n} entrées, chacune liée à la précédente.",
    "✘ The audit trail does not check out: {problems}":
        "✘ Le journal d’audit ne passe pas la vérification : {problems}",
    "Blacked out": "Noirci",
    "nothing": "rien",
    "{n} protected name(s)": "{n} nom(s) protégé(s)",
    "{n} drawn box(es)": "{n} cadre(s) dessiné(s)",
    "{n} term(s)": "{n} terme(s)",
    "{n} e-mail(s), phone number(s) or other pattern(s)":
        "{n} adresse(s) électronique(s), numéro(s) de téléphone ou autre(s) motif(s)",
    "User guide": "Guide d’utilisation",
    "Keyboard shortcuts": "Raccourcis clavier",
    "Command": "Commande",
    "Shortcut": "Raccourci",
    "Saved quote: {speaker}": "Citation enregistrée : {speaker}",
    "“{text}” is not a date: write the day the quote was said as YYYY-MM-DD, "
    "e.g. 2023-11-20.":
        "« {text} » n’est pas une date : écrivez le jour où la citation a été dite sous la "
        "forme AAAA-MM-JJ, par exemple 2023-11-20.",
    "Next page": "Page suivante",
    "Next hit": "Occurrence suivante",
    "Copy": "Copier",
    "Go to page…": "Aller à la page…",
    "Page number": "Numéro de page",
    "Enter the PDF's password…": "Saisir le mot de passe du PDF…",
    "Open a document from the case or from a search result.":
        "Ouvrez un document de l’enquête ou un résultat de recherche.",
    "Opening the document…": "Ouverture du document…",
    "Password of this PDF:": "Mot de passe de ce PDF :",
    "Page": "Page",
    "This PDF is protected by a password: its text is shown.":
        "Ce PDF est protégé par un mot de passe : son texte est affiché.",
    "of {n}": "sur {n}",
    "Page label: {label}": "Numéro imprimé : {label}",
    "hit {i} of {n}": "occurrence {i} sur {n}",
    "The original cannot be drawn ({reason}); its text is shown.":
        "L’original ne peut pas être affiché ({reason}) ; son texte est montré.",
    "This page cannot be drawn": "Cette page ne peut pas être affichée",
    "Page {n}…": "Page {n}…",
    # -- quotes, letters, people, timeline, export --------------------------------------------
    # diff_view
    "No passage of the sources matches.": "Aucun passage des sources ne correspond.",
    "Differences between the quote and its source": "Différences entre la citation et sa source",
    "in the source, not in the quote": "dans la source, pas dans la citation",
    "in the quote, not in the source": "dans la citation, pas dans la source",
    "score {score}": "score {score}",
    # export_pages
    "Quotes changed by the marks": "Citations modifiées par les caviardages",
    "left out": "écartée",
    "{n} quote(s) will not leave as written:": "{n} citation(s) ne sortiront pas telles quelles :",
    "Signing key fingerprint (give it to the recipient separately):":
        "Empreinte de la clé de signature (à transmettre au destinataire par un autre canal) :",
    "Check the marks of these documents, or export with “Flatten redacted pages to images”.":
        "Vérifiez les caviardages de ces documents, ou exportez avec « Aplatir en images les "
        "pages caviardées ».",
    "passed: {files} file(s) and {pages} page(s) re-read, nothing found":
        "réussie : {files} fichier(s) et {pages} page(s) relus, rien trouvé",
    "Preview of the redacted pages": "Aperçu des pages caviardées",
    "Each page that holds a mark, as it will leave the vault.":
        "Chaque page qui porte un caviardage, telle qu’elle quittera le coffre.",
    "Redacted pages": "Pages caviardées",
    "Redacted page": "Page caviardée",
    "Finding the marks in the chosen documents…":
        "Recherche des caviardages dans les documents choisis…",
    "Drawing the page…": "Affichage de la page…",
    "Export": "Export",
    "Cancel the export": "Annuler l’export",
    "Export report": "Rapport d’export",
    "Redacting and checking…": "Caviardage et vérification…",
    "The bundle is written and signed.": "Le paquet est écrit et signé.",
    "Nothing was written.": "Rien n’a été écrit.",
    "{d} document(s), {q} quote(s), {k} letter(s)":
        "{d} document(s), {q} citation(s), {k} courrier(s)",
    "Self-check": "Auto-vérification",
    "Bundle": "Paquet",
    "Contents": "Contenu",
    "SHA-256": "SHA-256",
    "Nothing is blacked out in these documents: they leave as they are.":
        "Rien n’est caviardé dans ces documents : ils partent tels quels.",
    "Export cancelled: nothing was written.": "Export annulé : rien n’a été écrit.",
    "sealed with the passphrase": "scellé par la phrase de passe",
    "Self-check passed": "Auto-vérification réussie",
    "{n} page(s) with marks in {d} document(s). Black boxes are final.":
        "{n} page(s) caviardée(s) dans {d} document(s). Les caches noirs sont définitifs.",
    "{title}, page {page} ({n} box(es))": "{title}, page {page} ({n} cache(s))",
    "The self-check found text that must not leave:":
        "L’auto-vérification a trouvé du texte qui ne doit pas sortir :",
    # export_wizard
    "What to export": "Quoi exporter",
    "Only PDF documents are exported, redacted. Quotes go with them.":
        "Seuls les documents PDF sont exportés, caviardés. Les citations les accompagnent.",
    "Documents to export": "Documents à exporter",
    "Quotes to export": "Citations à exporter",
    "Options": "Options",
    "Where to write the bundle, and how.": "Où écrire le paquet, et comment.",
    "Bundle file": "Fichier du paquet",
    "Flatten redacted pages to images": "Aplatir en images les pages caviardées",
    "Safest: nothing of a redacted page survives but its pixels (text stays searchable)":
        "Le plus sûr : il ne reste d’une page caviardée que ses pixels (le texte reste "
        "cherchable)",
    "Seal the bundle with a passphrase for the journey":
        "Sceller le paquet par une phrase de passe pour le transport",
    "Bundle passphrase": "Phrase de passe du paquet",
    "Save the bundle as": "Enregistrer le paquet sous",
    "Replace the file?": "Remplacer le fichier ?",
    "Export a bundle": "Exporter un paquet",
    "Unattributed": "Non attribuée",
    "Quotes": "Citations",
    "All": "Tous",
    "None": "Aucun",
    "Dossier bundles (*.zip)": "Paquets Dossier (*.zip)",
    "Choose a file name for the bundle.": "Choisissez un nom de fichier pour le paquet.",
    "{name} exists. Replace it?": "{name} existe. Le remplacer ?",
    "The folder {folder} does not exist.": "Le dossier {folder} n’existe pas.",
    "{title} (not a PDF: not exported)": "{title} (pas un PDF : non exporté)",
    # find_quote_dialog
    "Find a quote in the sources": "Retrouver une citation dans les sources",
    "Paste the quote as it was published": "Collez la citation telle qu’elle a été publiée",
    "Quote as published": "Citation publiée",
    "The whole case": "Toute l’enquête",
    "The documents ticked": "Les documents cochés",
    "Find in sources": "Chercher dans les sources",
    "Candidates": "Candidats",
    "Show in the document": "Montrer dans le document",
    "Save the quote": "Enregistrer la citation",
    "Looking for the quote in the sources…": "Recherche de la citation dans les sources…",
    "Verdict": "Verdict",
    "Score": "Score",
    "Look in:": "Chercher dans :",
    "Paste the quote first.": "Collez d’abord la citation.",
    "Tick at least one document, or look in the whole case.":
        "Cochez au moins un document, ou cherchez dans toute l’enquête.",
    "The quote was not found in these documents.":
        "La citation n’a pas été trouvée dans ces documents.",
    "The text changed: find it again before saving.":
        "Le texte a changé : relancez la recherche avant d’enregistrer.",
    "{n} candidate(s), best first.": "{n} candidat(s), le meilleur d’abord.",
    # letter_dialog, letters_panel, reply_dialog
    "post": "courrier postal",
    "e-mail": "courriel",
    "by hand": "en main propre",
    "web form": "formulaire en ligne",
    "Recipients": "Destinataires",
    "Someone new: type the name": "Quelqu’un de nouveau : tapez son nom",
    "Add": "Ajouter",
    "New letter": "Nouveau courrier",
    "none": "aucun",
    "working days": "jours ouvrés",
    "Recipients are in": "Les destinataires sont en/au",
    "Public holidays skipped by a deadline in working days":
        "Jours fériés sautés par un délai en jours ouvrés",
    # letters/jurisdiction
    "Jurisdiction": "Juridiction",
    "{days} working days in {place}": "{days} jours ouvrés, {place}",
    "Public holidays that moved the deadline:": "Jours fériés qui ont repoussé l’échéance :",
    "No public holiday moved the deadline.": "Aucun jour férié n’a repoussé l’échéance.",
    "France (metropolitan)": "France métropolitaine",
    "France: Alsace-Moselle": "France : Alsace-Moselle",
    "France: Guadeloupe": "France : Guadeloupe",
    "France: Martinique": "France : Martinique",
    "France: Guyane": "France : Guyane",
    "France: La Réunion": "France : La Réunion",
    "France: Mayotte": "France : Mayotte",
    "Belgium": "Belgique",
    "Luxembourg": "Luxembourg",
    "Switzerland: {canton}": "Suisse : {canton}",
    "Canada: Québec": "Canada : Québec",
    "Canada (federal)": "Canada (fédéral)",
    "United Kingdom: England": "Royaume-Uni : Angleterre",
    "United Kingdom: Wales": "Royaume-Uni : pays de Galles",
    "United Kingdom: Scotland": "Royaume-Uni : Écosse",
    "United Kingdom: Northern Ireland": "Royaume-Uni : Irlande du Nord",
    "United States (federal)": "États-Unis (fédéral)",
    # preferences_dialog (letters)
    "Letters' recipients are in": "Destinataires des lettres",
    "Public holidays skipped by deadlines in working days of new letters":
        "Jours fériés sautés par les délais en jours ouvrés des nouvelles lettres",
    "One question per line": "Une question par ligne",
    "Questions": "Questions",
    "No file": "Aucun fichier",
    "Attach the letter's file…": "Joindre le fichier du courrier…",
    "Subject": "Objet",
    "From": "De",
    "To": "À",
    "Channel": "Moyen",
    "Sent on": "Envoyé le",
    "Reply by": "Réponse avant",
    "The letter's file": "Le fichier du courrier",
    "or within": "ou sous",
    "Say who signs the letter.": "Indiquez qui signe le courrier.",
    "No letters yet.": "Aucun courrier pour l’instant.",
    "{n} letter(s): {overdue} overdue, {awaiting} awaiting a reply, "
    "{unanswered} question(s) unanswered.":
        "{n} courrier(s) : {overdue} en retard, {awaiting} en attente de réponse, "
        "{unanswered} question(s) sans réponse.",
    "{late} question(s) past the deadline.": "{late} question(s) après l’échéance.",
    "received after publication": "reçue après la publication",
    "New letter…": "Nouveau courrier…",
    "Record a reply…": "Enregistrer une réponse…",
    "Open document": "Ouvrir le document",
    "Delete letter…": "Supprimer le courrier…",
    "Delete letter": "Supprimer le courrier",
    "Delete this letter and its questions? Its document and replies stay in the case.":
        "Supprimer ce courrier et ses questions ? Son document et ses réponses restent dans "
        "l’enquête.",
    "Letter": "Courrier",
    "Sent": "Envoyé",
    "Deadline": "Échéance",
    "State": "État",
    "Letter from {sender}": "Courrier de {sender}",
    "not sent": "non envoyé",
    "From {sender}": "De {sender}",
    "Reply from {sender}": "Réponse de {sender}",
    "No document is attached to this item.": "Aucun document n’est joint à cet élément.",
    "answers {numbers}": "répond à {numbers}",
    "Record a reply": "Enregistrer une réponse",
    "e.g. their lawyer, the press office": "p. ex. son avocat, le service de presse",
    "Summary": "Résumé",
    "Questions it answers": "Questions auxquelles elle répond",
    "Attach the reply's file…": "Joindre le fichier de la réponse…",
    "Received on": "Reçue le",
    "Via": "Par",
    "The reply's file": "Le fichier de la réponse",
    "This letter asked no questions.": "Ce courrier ne posait aucune question.",
    "Give the date the reply was received.": "Indiquez la date de réception de la réponse.",
    "Tick the questions this reply answers, or mark them declined.":
        "Cochez les questions auxquelles cette réponse répond, ou marquez-les refusées.",
    "Say who replied.": "Indiquez qui a répondu.",
    # merge_dialog, people_panel, person_dialog, person_picker
    "Merge people": "Fusionner des personnes",
    "Quotes, letters, replies, documents and marks of the second entry move to the first; its "
    "names become aliases, and the stricter protection is kept.":
        "Les citations, courriers, réponses, documents et caviardages de la seconde fiche "
        "passent à la première ; ses noms deviennent des alias, et la protection la plus "
        "stricte est conservée.",
    "Keep": "Garder",
    "Merge into it": "Y fusionner",
    "Merge": "Fusionner",
    "Merged into {name}: {n} reference(s) moved.":
        "Fusionné dans {name} : {n} référence(s) déplacée(s).",
    "Choose two different entries.": "Choisissez deux fiches différentes.",
    "People": "Personnes",
    "Add person…": "Ajouter une personne…",
    "Edit…": "Modifier…",
    "Merge…": "Fusionner…",
    "Reveal names": "Révéler les noms",
    "Show the real names of protected people (recorded in the audit trail)":
        "Afficher les vrais noms des personnes protégées (consigné dans le journal d’audit)",
    "Show the real names of protected and anonymous people? Each reveal is recorded in the "
    "vault's audit trail. Make sure nobody else can see the screen.":
        "Afficher les vrais noms des personnes protégées et anonymes ? Chaque révélation est "
        "consignée dans le journal d’audit du coffre. Assurez-vous que personne d’autre ne "
        "voit l’écran.",
    "Role": "Rôle",
    "Protection": "Protection",
    "Pseudonym": "Pseudonyme",
    "Organisation": "Organisation",
    "Real name hidden: use “Reveal names” to show it":
        "Vrai nom masqué : utilisez « Révéler les noms » pour l’afficher",
    "{n} protected name(s) hidden behind a pseudonym.":
        "{n} nom(s) protégé(s) masqué(s) derrière un pseudonyme.",
    "official": "officiel",
    "elected representative": "élu",
    "journalist": "journaliste",
    "lawyer": "avocat",
    "organisation": "organisation",
    "other": "autre",
    "on the record": "à visage découvert",
    "on background": "sous couvert",
    "anonymous": "anonyme",
    "protected source": "source protégée",
    "Aliases": "Alias",
    "Edit person": "Modifier la personne",
    "New person": "Nouvelle personne",
    "given automatically when left empty": "attribué automatiquement si laissé vide",
    "only for masked people": "seulement pour les personnes masquées",
    "Pick a person or type a new name": "Choisissez une personne ou tapez un nouveau nom",
    # prepub_dialog
    "No passage in quotation marks was found in this article.":
        "Aucun passage entre guillemets n’a été trouvé dans cet article.",
    "{n} passage(s) in quotation marks: {bad} to look at ({missing} not found).":
        "{n} passage(s) entre guillemets : {bad} à examiner ({missing} introuvable(s)).",
    "Pre-publication check": "Vérification avant publication",
    "Check the article": "Vérifier l’article",
    "Only the passages to look at": "Seulement les passages à examiner",
    "Passages in quotation marks": "Passages entre guillemets",
    "Show in the article": "Montrer dans l’article",
    "Show at the source": "Montrer dans la source",
    "Checking the article…": "Vérification de l’article…",
    "Import the article into the case first.": "Importez d’abord l’article dans l’enquête.",
    "#": "n°",
    "Passage": "Passage",
    "Source": "Source",
    "Article:": "Article :",
    # quote_dialog, quotes_model, quotes_panel, review_dialog
    "Speaker": "Auteur",
    "Said on": "Dite le",
    "Published in": "Publiée dans",
    "New quote from selection": "Nouvelle citation depuis la sélection",
    "Selected text": "Texte sélectionné",
    "(not published yet)": "(pas encore publiée)",
    "The quote, exactly as it stands in the document:":
        "La citation, exactement telle qu’elle figure dans le document :",
    "Quote": "Citation",
    "Review": "À revoir",
    "Find in sources…": "Chercher dans les sources…",
    "Re-check all": "Tout revérifier",
    "To review…": "À revoir…",
    "Quotes whose anchor moved, degraded or was lost":
        "Citations dont l’ancre s’est déplacée, dégradée ou perdue",
    "no source document": "aucun document source",
    "Re-anchor every quote, e.g. after a document changed":
        "Réancrer chaque citation, p. ex. après la modification d’un document",
    "Check an article…": "Vérifier un article…",
    "Pre-publication check: anchor every passage in quotation marks of an article":
        "Vérification avant publication : ancrer chaque passage entre guillemets d’un article",
    "Quotes of": "Citations de",
    "Delete quote…": "Supprimer la citation…",
    "Delete quote": "Supprimer la citation",
    "Delete this quote? The documents are not touched.":
        "Supprimer cette citation ? Les documents ne sont pas modifiés.",
    "Re-checking the quotes…": "Revérification des citations…",
    "This quote is not anchored in any document.":
        "Cette citation n’est ancrée dans aucun document.",
    "{n} quote(s), {k} with a re-check to review.":
        "{n} citation(s), dont {k} à revoir après revérification.",
    "{n} quote(s).": "{n} citation(s).",
    "{n} quote(s) checked, {k} to review.": "{n} citation(s) vérifiée(s), {k} à revoir.",
    "Quotes to review": "Citations à revoir",
    "Mark reviewed": "Marquer comme revue",
    "{n} quote(s) checked: every anchor is where it was.":
        "{n} citation(s) vérifiée(s) : chaque ancre est à sa place.",
    "Outcome": "Résultat",
    "Before": "Avant",
    "After": "Après",
    "All reviewed.": "Tout est revu.",
    "{k} quote(s) left to review.": "{k} citation(s) encore à revoir.",
    # redaction_panel, redaction_rule_dialog, redact_tool
    "box": "cache",
    "term": "terme",
    "pattern": "motif",
    "person": "personne",
    "Redactions": "Caviardages",
    "Draw boxes": "Dessiner des caches",
    "Drag on a page of the open PDF to black out an area":
        "Glissez sur une page du PDF ouvert pour noircir une zone",
    "Add term…": "Ajouter un terme…",
    "Add pattern…": "Ajouter un motif…",
    "Remove": "Retirer",
    "Redaction marks": "Caviardages",
    "Protected and anonymous people are always blacked out in exports.":
        "Les personnes protégées et anonymes sont toujours noircies dans les exports.",
    "Mark": "Caviardage",
    "Applies to": "S’applique à",
    "What": "Quoi",
    "Reason": "Motif du caviardage",
    "page {page}, {n} box(es)": "page {page}, {n} cache(s)",
    "the whole case": "toute l’enquête",
    "e-mail addresses": "adresses électroniques",
    "phone numbers": "numéros de téléphone",
    "bank accounts (IBAN)": "comptes bancaires (IBAN)",
    "social security numbers (NIR)": "numéros de sécurité sociale (NIR)",
    "number plates": "plaques d’immatriculation",
    "Redact a term": "Caviarder un terme",
    "Redact a pattern": "Caviarder un motif",
    "Redact a person's names": "Caviarder les noms d’une personne",
    "Case, accents and line breaks do not matter":
        "Majuscules, accents et retours à la ligne sont ignorés",
    "Why (kept in the vault, never exported)": "Pourquoi (gardé dans le coffre, jamais exporté)",
    "Term": "Terme",
    "Pattern": "Motif",
    "Their name and aliases are blacked out everywhere. Protected and anonymous people are "
    "always hidden, with or without a rule.":
        "Son nom et ses alias sont noircis partout. Les personnes protégées et anonymes sont "
        "toujours masquées, avec ou sans règle.",
    "always hidden": "toujours masquée",
    "Add the person to the case first.": "Ajoutez d’abord la personne à l’enquête.",
    "Redact": "Caviarder",
    "Draw boxes to black out in exports (Esc to stop)":
        "Dessiner des caches à noircir dans les exports (Échap pour arrêter)",
    # timeline_panel
    "document": "document",
    "deadline": "échéance",
    "quote": "citation",
    "publication": "publication",
    "entry": "entrée",
    "meeting": "rendez-vous",
    "call": "appel",
    "visit": "visite",
    "Timeline": "Chronologie",
    "Kinds": "Types",
    "List": "Liste",
    "Time axis": "Frise",
    "Everyone": "Tout le monde",
    "Item": "Élément",
    # verdict_badge
    "verbatim": "verbatim",
    "normalized": "normalisée",
    "trimmed": "coupée",
    "altered": "altérée",
    "not found": "introuvable",
    "unchecked": "non vérifiée",
    "unchanged": "inchangée",
    "moved": "déplacée",
    "degraded": "dégradée",
    "lost": "perdue",
    "found": "trouvée",
    "draft": "brouillon",
    "sent": "envoyé",
    "awaiting": "en attente",
    "overdue": "en retard",
    "replied": "répondu",
    "partly answered": "réponse partielle",
    "partly, overdue": "partielle, en retard",
    "declined": "refusé",
    "no reply by publication": "sans réponse à la publication",
    "unanswered": "sans réponse",
    "answered": "répondu",
    "partly": "en partie",
    # verify_dialog
    "Intact and signed.": "Intact et signé.",
    "This bundle does not check out: do not trust it.":
        "Ce paquet ne passe pas la vérification : ne vous y fiez pas.",
    "not compared with an expected fingerprint": "non comparée à une empreinte attendue",
    "matches the expected fingerprint": "correspond à l’empreinte attendue",
    "DOES NOT match the expected fingerprint": "NE correspond PAS à l’empreinte attendue",
    "Signature": "Signature",
    "Files": "Fichiers",
    "Changed": "Modifié",
    "Missing": "Manquant",
    "Added": "Ajouté",
    "Problem": "Problème",
    "Verify a bundle": "Vérifier un paquet",
    "Optional: the fingerprint the sender gave you":
        "Facultatif : l’empreinte que l’expéditeur vous a donnée",
    "Only for a sealed bundle": "Seulement pour un paquet scellé",
    "Verification report": "Rapport de vérification",
    "Expected fingerprint": "Empreinte attendue",
    "Verify": "Vérifier",
    "Signing key": "Clé de signature",
    "valid": "valide",
    "INVALID": "INVALIDE",
    "Made on": "Créé le",
    "Sealed": "Scellé",
    "yes, opened with the passphrase": "oui, ouvert avec la phrase de passe",
    "Checking the signature and every file…": "Vérification de la signature et de chaque fichier…",
    "{n} checked: {d} document(s), {q} quote(s)":
        "{n} vérifié(s) : {d} document(s), {q} citation(s)",
    # workflows
    "New quote from selection…": "Nouvelle citation depuis la sélection…",
    "Make a quote of the text selected in the document":
        "Faire une citation du texte sélectionné dans le document",
    "Find a quote in the sources…": "Retrouver une citation dans les sources…",
    "Re-check all quotes": "Revérifier toutes les citations",
    "Pre-publication check…": "Vérification avant publication…",
    "Export a bundle…": "Exporter un paquet…",
    "Verify a bundle…": "Vérifier un paquet…",
    "Box added: it is blacked out in exports.": "Cache ajouté : il est noirci dans les exports.",
    "Quote saved, anchored at the selection.": "Citation enregistrée, ancrée sur la sélection.",
    "Open a PDF document to draw boxes on its pages.":
        "Ouvrez un document PDF pour dessiner des caches sur ses pages.",
    # sample_action
    "Create the sample vault…": "Créer le coffre d’exemple…",
    "Where should the sample vault be created?": "Où créer le coffre d’exemple ?",
    "A sample vault already exists there.": "Un coffre d’exemple existe déjà à cet endroit.",
    "Creating the sample vault…": "Création du coffre d’exemple…",
    "The sample vault was created.": "Le coffre d’exemple a été créé.",
    "The sample vault could not be created": "Le coffre d’exemple n’a pas pu être créé",
    "Sample vault": "Coffre d’exemple",
    "Folder: {folder}\nPassphrase: {passphrase}":
        "Dossier : {folder}\nPhrase secrète : {passphrase}",
    "Open it now? The vault open now is locked first.":
        "L’ouvrir maintenant ? Le coffre ouvert est d’abord verrouillé.",
    # timeline entries
    "Add entry…": "Ajouter une entrée…",
    "Put an interview, a call or a meeting on the timeline":
        "Placer un entretien, un appel ou une réunion sur la chronologie",
    "Remove entry": "Retirer l’entrée",
    "Remove the selected free entry from the timeline":
        "Retirer de la chronologie l’entrée libre sélectionnée",
    "Remove “{title}” ({date}) from the timeline?":
        "Retirer « {title} » ({date}) de la chronologie ?",
    "New timeline entry": "Nouvelle entrée de chronologie",
    "What happened (an interview, a call…)": "Ce qui s’est passé (un entretien, un appel…)",
    "People involved": "Personnes concernées",
    "People (optional)": "Personnes (facultatif)",
    "Inside: {done} of {total}: {names}": "À l’intérieur : {done} sur {total} : {names}",
    "Imported with the {count} files inside it, each a document":
        "Importé avec les {count} fichiers qu’il contient, chacun devenu un document",
    "Date from": "Date tirée de",
    "Part of": "Fait partie de",
    "Contains": "Contient",
    "Not imported": "Non importé",
    "Already in the case": "Déjà dans l’affaire",
    # preferences_dialog (keys) and vault/rekey_dialog
    "Keys": "Clés",
    "Re-encrypt the vault…": "Rechiffrer le coffre…",
    "New keys for every case, everything written again under them: an old copy of the keys "
    "opens nothing any more":
        "De nouvelles clés pour chaque enquête, tout réécrit avec elles : une ancienne copie "
        "des clés n’ouvre plus rien",
    "Unlock a vault first": "Déverrouillez d’abord un coffre",
    "Re-encrypt the vault": "Rechiffrer le coffre",
    "The vault's passphrase, to confirm": "La phrase de passe du coffre, pour confirmer",
    "Stop": "Arrêter",
    "Close": "Fermer",
    "Re-encrypting… Keep Dossier open until it ends.":
        "Rechiffrement… Laissez Dossier ouvert jusqu’à la fin.",
    "A re-encryption was interrupted. Finish it now: the cases not yet done are still under "
    "their old keys.":
        "Un rechiffrement a été interrompu. Terminez-le maintenant : les enquêtes pas encore "
        "traitées sont toujours sous leurs anciennes clés.",
    "Every case gets new keys, and everything in it (documents, pages, quotes, letters, people, "
    "marks, the search index) is written again under them. Afterwards, an old copy of the keys "
    "or of vault.json, even with the passphrase of that time, decrypts nothing in this "
    "vault.\n\nBackups made before are not changed: they still open with the passphrase they "
    "had. The passphrase stays the same (to change it too, use 'dossier passwd' first).\n\nIt "
    "takes about a third of the time the import of the same pages took. It can be stopped, or "
    "interrupted by a power cut, without losing anything: it is then finished the next time.":
        "Chaque enquête reçoit de nouvelles clés, et tout ce qu’elle contient (documents, "
        "pages, citations, lettres, personnes, marques, l’index de recherche) est réécrit avec "
        "elles. Ensuite, une ancienne copie des clés ou de vault.json, même avec la phrase de "
        "passe de l’époque, ne déchiffre plus rien dans ce coffre.\n\nLes sauvegardes faites "
        "avant ne changent pas : elles s’ouvrent toujours avec la phrase de passe qu’elles "
        "avaient. La phrase de passe reste la même (pour la changer aussi, utilisez d’abord « "
        "dossier passwd »).\n\nCela prend environ le tiers du temps qu’a pris l’import des "
        "mêmes pages. On peut l’arrêter, ou une coupure de courant peut l’interrompre, sans "
        "rien perdre : il se termine la fois suivante.",
    "Finish re-encrypting": "Terminer le rechiffrement",
    "Re-encrypt": "Rechiffrer",
    "Type the vault's passphrase to confirm.": "Tapez la phrase de passe du coffre pour confirmer.",
    "Stopped. Nothing is lost and the vault opens as before; re-encrypt again to finish.":
        "Arrêté. Rien n’est perdu et le coffre s’ouvre comme avant ; rechiffrez de nouveau pour "
        "terminer.",
    "Stopping after the current file…": "Arrêt après le fichier en cours…",
    "Done: {cases} case(s) re-encrypted under new keys ({pages} pages, {files} original files). "
    "The master key was replaced too.":
        "Terminé : {cases} enquête(s) rechiffrée(s) avec de nouvelles clés ({pages} pages, "
        "{files} fichiers originaux). La clé maîtresse a aussi été remplacée.",
    "Wrong passphrase: nothing was re-encrypted.":
        "Mauvaise phrase de passe : rien n’a été rechiffré.",
    "The re-encryption failed.": "Le rechiffrement a échoué.",
    "Saving… (an attached file is read and encrypted first)":
        "Enregistrement… (le fichier joint est d’abord lu et chiffré)",
    "Saving… {step}": "Enregistrement… {step}",
    "Import a bundle…": "Importer un paquet…",
    "Import a bundle": "Importer un paquet",
    "Optional: the name of the new case": "Facultatif : le nom du nouveau dossier",
    "I checked this fingerprint with the sender":
        "J’ai vérifié cette empreinte avec l’expéditeur",
    "Checking the bundle, then importing it…": "Vérification du paquet, puis import…",
    "Imported {d} document(s) and {q} quote(s) as the case “{name}”.":
        "{d} document(s) et {q} citation(s) importés dans le dossier « {name} ».",
    "Signed by {fingerprint}.": "Signé par {fingerprint}.",
    "This bundle is signed by a key this vault has never seen: {fingerprint}. "
    "Import it only if the sender confirmed this fingerprint by another channel "
    "(phone, in person): type it above, or tick the box, then import again.":
        "Ce paquet est signé par une clé que ce coffre n’a jamais vue : {fingerprint}. "
        "Ne l’importez que si l’expéditeur vous a confirmé cette empreinte par un autre "
        "moyen (téléphone, en personne) : saisissez-la ci-dessus, ou cochez la case, puis "
        "importez à nouveau.",
    "Wait until the imports in progress end, then re-encrypt.":
        "Attendez la fin des imports en cours, puis rechiffrez.",
}  # fmt: skip
