namespace DataSchemas;

/// <summary>
/// The 229 airport codes that occur as origin or destination in the January–June 2001 data (data/flights-3m.parquet).
/// A code outside this list is quarantined at ingest and flagged at scoring: the model has never seen it.
/// </summary>
internal static class Airports
{
    public static IReadOnlyList<string> Codes { get; } =
    [
        "ABE", "ABI", "ABQ", "ACT", "ACY", "ADQ", "AKN", "ALB", "AMA", "ANC", "APF", "ATL", "AUS", "AVL", "AVP", "AZO",
        "BDL", "BET", "BFL", "BGM", "BGR", "BHM", "BIL", "BIS", "BMI", "BNA", "BOI", "BOS", "BPT", "BQN", "BRO", "BRW",
        "BTR", "BTV", "BUF", "BUR", "BWI", "BZN", "CAE", "CAK", "CDV", "CHA", "CHS", "CID", "CLE", "CLL", "CLT", "CMH",
        "CMI", "COS", "CRP", "CRW", "CVG", "DAB", "DAL", "DAY", "DBQ", "DCA", "DEN", "DFW", "DLG", "DLH", "DRO", "DSM",
        "DTW", "DUT", "EGE", "ELM", "ELP", "ERI", "EUG", "EVV", "EWR", "EYW", "FAI", "FAR", "FAT", "FAY", "FCA", "FLL",
        "FNT", "FSD", "FSM", "FWA", "GEG", "GFK", "GGG", "GPT", "GRB", "GRR", "GSO", "GSP", "GST", "GTF", "GUC", "HDN",
        "HLN", "HNL", "HOU", "HPN", "HRL", "HSV", "IAD", "IAH", "ICT", "ILE", "ILM", "IND", "ISP", "ITH", "ITO", "JAC",
        "JAN", "JAX", "JFK", "JNU", "KOA", "KTN", "LAN", "LAS", "LAW", "LAX", "LBB", "LEX", "LFT", "LGA", "LGB", "LIH",
        "LIT", "LNK", "LRD", "LSE", "LWB", "MAF", "MBS", "MCI", "MCO", "MDT", "MDW", "MEM", "MFE", "MFR", "MHT", "MIA",
        "MKE", "MLB", "MLI", "MLU", "MOB", "MOT", "MQT", "MRY", "MSN", "MSO", "MSP", "MSY", "MTJ", "MYR", "OAK", "OGG",
        "OKC", "OMA", "OME", "ONT", "ORD", "ORF", "ORH", "OTZ", "PBI", "PDX", "PHL", "PHX", "PIA", "PIT", "PNS", "PSC",
        "PSG", "PSP", "PVD", "PWM", "RAP", "RDU", "RIC", "RNO", "ROA", "ROC", "RST", "RSW", "SAN", "SAT", "SAV", "SBA",
        "SBN", "SBP", "SCC", "SDF", "SEA", "SFO", "SGF", "SHV", "SIT", "SJC", "SJT", "SJU", "SLC", "SMF", "SNA", "SPS",
        "SRQ", "STL", "STT", "STX", "SUX", "SWF", "SYR", "TLH", "TOL", "TPA", "TRI", "TUL", "TUS", "TVC", "TXK", "TYR",
        "TYS", "VPS", "WRG", "XNA", "YAK",
    ];
}
