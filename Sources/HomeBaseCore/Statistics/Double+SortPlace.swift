extension Double {
    /// NaN or −0: a value whose place among the others only a full comparison sort decides
    /// (selection, merging and radix order can put it elsewhere), so those shortcuts step aside.
    package var placedOnlyBySort: Bool { isNaN || bitPattern == (-0.0).bitPattern }
}
