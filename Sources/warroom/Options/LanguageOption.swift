import ArgumentParser
import Reporting

/// `--lang zh|en`: the language of reports, summaries and chart labels.
struct LanguageOption: ParsableArguments {
    @Option(name: .customLong("lang"), help: "Language of the report: zh or en (default: the scenario's `language:`, else the locale's).")
    var language: Language?
}
