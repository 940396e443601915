import ArgumentParser
import WarRoomLab

/// `--layout long|wide`.
extension DataForecast.Layout: ExpressibleByArgument {}
