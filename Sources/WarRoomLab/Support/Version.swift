/// The lab's version, as `warroom --version` prints it.
public let version = "0.9.0"
