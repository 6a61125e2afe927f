/** Word pools the engine composes readable values from. */

export const PERSON_NAMES = [
  "Ana Lima",
  "Kenji Watanabe",
  "Fatima Zahra",
  "Liam O'Connor",
  "Priya Raman",
  "Mateo Garcia",
  "Olga Petrova",
  "Samuel Osei",
  "Mei Chen",
  "Jonas Becker",
  "Aisha Bello",
  "Lucas Martin",
  "Sofia Rossi",
  "Noah Kim",
  "Elena Novak",
  "Tomas Silva",
  "Hannah Schmidt",
  "Ravi Patel",
  "Chloe Dubois",
  "Yusuf Demir",
  "Grace Mensah",
  "Ivan Horvat",
  "Zara Ahmed",
  "Daniel Cohen",
] as const;

export const CITIES = ["Lisbon", "Portland", "Leeds", "Osaka", "Toronto", "Nairobi", "Melbourne", "Austin", "Lyon", "Gdansk", "Porto", "Denver"] as const;

export const STREETS = ["Harbor Lane", "Maple Street", "Cedar Avenue", "Old Mill Road", "Station Road", "Elm Court", "Riverside Drive", "King Street"] as const;

export const SLUG_WORDS = ["cedar", "harbor", "summit", "atlas", "nova", "orbit", "willow", "granite", "aurora", "delta", "maple", "quartz"] as const;

export const PRODUCT_NAMES = ["Travel adapter", "Desk lamp", "Insulated water bottle", "Storage box", "Noise-cancelling headphones", "Standing desk", "Rain jacket", "Coffee grinder"] as const;

export const TITLE_WORDS = ["Quarterly report", "Onboarding checklist", "Website refresh", "Budget review", "Team offsite", "Customer follow-up", "Release notes", "Safety inspection"] as const;

export const NOTE_PHRASES = [
  "Requested by the customer",
  "Follow-up from the last conversation",
  "Customer prefers email updates",
  "Handled over chat",
  "Checked against the account history",
] as const;

export const OCCUPATIONS = [
  "small-business owner",
  "graduate student",
  "retired teacher",
  "nurse working night shifts",
  "software engineer",
  "operations manager",
  "freelance photographer",
  "parent of two young kids",
  "office administrator",
  "sales representative who travels a lot",
  "restaurant owner",
  "IT support technician",
] as const;
