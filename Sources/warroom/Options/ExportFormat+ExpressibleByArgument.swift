import ArgumentParser
import WarRoomLab

/// `--format csv|ndjson|ipynb` of `warroom export`.
extension ExportFormat: ExpressibleByArgument {}
