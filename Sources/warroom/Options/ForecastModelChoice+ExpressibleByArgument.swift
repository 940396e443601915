import ArgumentParser
import WarRoomLab

/// `--model auto|ets|regression|glm|seasonal_naive` of `warroom forecast`.
extension ForecastModelChoice: ExpressibleByArgument {}
