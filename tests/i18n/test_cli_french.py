"""The `dossier` command speaks the environment's language: errors, usage lines, warnings."""

from __future__ import annotations

from pathlib import Path

from tests.clirun import run_cli


def test_errors_are_french_under_language_fr(tmp_path: Path) -> None:
    missing = tmp_path / "absent"
    result = run_cli(tmp_path, "--vault", str(missing), "case", "list", env={"LANGUAGE": "fr"})
    assert result.returncode == 2
    assert result.stderr == f"dossier: aucun coffre dans {missing}\n"
    english = run_cli(tmp_path, "--vault", str(missing), "case", "list")
    assert english.stderr == f"dossier: no vault at {missing}\n"


def test_wrong_passphrase_and_usage_in_french_from_lang(tmp_path: Path) -> None:
    vault = tmp_path / "V.dossier"
    assert run_cli(tmp_path, "--vault", str(vault), "init").returncode == 0
    env = {"LANG": "fr_FR.UTF-8"}
    wrong = run_cli(tmp_path, "--vault", str(vault), "case", "list", passphrase="x" * 20, env=env)
    assert wrong.returncode == 3
    assert wrong.stderr.startswith("dossier: phrase de passe erronée, ou vault.json a été modifié")
    usage = run_cli(tmp_path, "case", "frobnicate", env=env)
    assert usage.returncode == 2
    assert usage.stderr.rstrip().endswith("(voir «\u00a0dossier --help\u00a0»)")


def test_language_list_falls_through_to_french_and_c_is_english(tmp_path: Path) -> None:
    missing = tmp_path / "absent"
    args = ("--vault", str(missing), "case", "list")
    listed = run_cli(tmp_path, *args, env={"LANGUAGE": "de:fr", "LANG": "en_US.UTF-8"})
    assert "aucun coffre" in listed.stderr
    plain = run_cli(tmp_path, *args, env={"LC_ALL": "C", "LANG": "fr_FR.UTF-8"})
    assert "no vault at" in plain.stderr


def test_help_and_argparse_own_words_in_french(tmp_path: Path) -> None:
    shown = run_cli(tmp_path, "case", "--help", env={"LANGUAGE": "fr"})
    assert shown.returncode == 0
    assert shown.stdout.startswith("utilisation\u00a0: dossier case")
    assert (
        "créer, lister, renommer ou supprimer des enquêtes"
        in run_cli(tmp_path, "--help", env={"LANGUAGE": "fr"}).stdout
    )
    assert "afficher cette aide et quitter" in shown.stdout
    missing = run_cli(tmp_path, "case", "create", env={"LANGUAGE": "fr"})
    assert missing.returncode == 2
    assert "les arguments suivants sont obligatoires\u00a0: name" in missing.stderr
    # And back to English for the next command of the same process.
    english = run_cli(tmp_path, "case", "--help")
    assert english.stdout.startswith("usage: dossier case")


def test_jurisdictions_named_in_french(tmp_path: Path) -> None:
    shown = run_cli(tmp_path, "letter", "jurisdictions", env={"LANGUAGE": "fr"})
    assert shown.returncode == 0
    assert "Belgique" in shown.stdout and "Suisse\u00a0: Genève" in shown.stdout
    assert "(par défaut\u00a0: FR)" in shown.stdout
    assert "Belgium" in run_cli(tmp_path, "letter", "jurisdictions").stdout


def test_refused_files_are_described_in_french(tmp_path: Path) -> None:
    vault = tmp_path / "V.dossier"
    assert run_cli(tmp_path, "--vault", str(vault), "init").returncode == 0
    assert run_cli(tmp_path, "--vault", str(vault), "case", "create", "Port").returncode == 0
    program = tmp_path / "outil.bin"
    program.write_bytes(b"\x7fELF" + bytes(200))
    broken = tmp_path / "rapport.docx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 60)
    fr = {"LANGUAGE": "fr"}
    for path, words in ((program, "est un programme"), (broken, "(fichier Word) est endommagé")):
        done = run_cli(
            tmp_path, "--vault", str(vault), "import", "--case", "Port", str(path), env=fr
        )
        assert done.returncode == 6, done.stderr
        assert words in done.stderr, done.stderr
        assert f"«\u00a0{path.name}\u00a0»" in done.stderr
