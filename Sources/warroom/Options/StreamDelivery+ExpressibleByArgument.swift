import ArgumentParser
import WarRoomLab

/// `--delivery scenario|instant`.
extension StreamDelivery: ExpressibleByArgument {}
