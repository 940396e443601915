import ArgumentParser
import Reporting

/// `--lang zh|en`.
extension Language: ExpressibleByArgument {}
