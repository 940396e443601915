import ArgumentParser
import WarRoomLab

/// `--format ndjson|csv` of `warroom stream`.
extension StreamFormat: ExpressibleByArgument {}
