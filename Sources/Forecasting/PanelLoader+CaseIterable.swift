extension PanelLoader.Gaps: CaseIterable {
    /// Every policy, as the command line lists them: `refuse`, `zero`.
    public static var allCases: [PanelLoader.Gaps] { [.refuse, .zero] }
}
