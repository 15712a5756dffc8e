// arXiv category names as oai_dc spells them ("Computer Science - Computation and Language") → codes.

/** Subject group prefixes in oai_dc and the archive each maps to. */
const GROUPS: Record<string, string> = {
  'Computer Science': 'cs',
  Statistics: 'stat',
  Mathematics: 'math',
  'Electrical Engineering and Systems Science': 'eess',
  Economics: 'econ',
  'Quantitative Finance': 'q-fin',
  'Quantitative Biology': 'q-bio',
};

/** Subject names within each archive and their category suffixes. */
const NAMES: Record<string, Record<string, string>> = {
  cs: {
    'Artificial Intelligence': 'AI',
    'Hardware Architecture': 'AR',
    'Computational Complexity': 'CC',
    'Computational Engineering, Finance, and Science': 'CE',
    'Computational Geometry': 'CG',
    'Computation and Language': 'CL',
    'Cryptography and Security': 'CR',
    'Computer Vision and Pattern Recognition': 'CV',
    'Computers and Society': 'CY',
    Databases: 'DB',
    'Distributed, Parallel, and Cluster Computing': 'DC',
    'Digital Libraries': 'DL',
    'Discrete Mathematics': 'DM',
    'Data Structures and Algorithms': 'DS',
    'Emerging Technologies': 'ET',
    'Formal Languages and Automata Theory': 'FL',
    'General Literature': 'GL',
    Graphics: 'GR',
    'Computer Science and Game Theory': 'GT',
    'Human-Computer Interaction': 'HC',
    'Information Retrieval': 'IR',
    'Information Theory': 'IT',
    'Machine Learning': 'LG',
    Learning: 'LG',
    'Logic in Computer Science': 'LO',
    'Multiagent Systems': 'MA',
    Multimedia: 'MM',
    'Mathematical Software': 'MS',
    'Numerical Analysis': 'NA',
    'Neural and Evolutionary Computing': 'NE',
    'Networking and Internet Architecture': 'NI',
    'Other Computer Science': 'OH',
    'Operating Systems': 'OS',
    Performance: 'PF',
    'Programming Languages': 'PL',
    Robotics: 'RO',
    'Symbolic Computation': 'SC',
    Sound: 'SD',
    'Software Engineering': 'SE',
    'Social and Information Networks': 'SI',
    'Systems and Control': 'SY',
  },
  stat: {
    Applications: 'AP',
    Computation: 'CO',
    Methodology: 'ME',
    'Machine Learning': 'ML',
    'Other Statistics': 'OT',
    'Statistics Theory': 'TH',
  },
  eess: {
    'Audio and Speech Processing': 'AS',
    'Image and Video Processing': 'IV',
    'Signal Processing': 'SP',
    'Systems and Control': 'SY',
  },
  math: {
    'Numerical Analysis': 'NA',
    'Information Theory': 'IT',
    'Optimization and Control': 'OC',
    Probability: 'PR',
    'Statistics Theory': 'ST',
    Combinatorics: 'CO',
    Logic: 'LO',
    'Dynamical Systems': 'DS',
    'Mathematical Physics': 'MP',
  },
  econ: { Econometrics: 'EM', 'General Economics': 'GN', 'Theoretical Economics': 'TH' },
  'q-fin': { 'Computational Finance': 'CP', 'Statistical Finance': 'ST' },
  'q-bio': { 'Neurons and Cognition': 'NC', 'Quantitative Methods': 'QM', Biomolecules: 'BM' },
};

/** Subjects that name a whole archive without a "Group - " prefix. */
const WHOLE_ARCHIVES: Record<string, string> = {
  'Quantum Physics': 'quant-ph',
  'General Relativity and Quantum Cosmology': 'gr-qc',
  'High Energy Physics - Theory': 'hep-th',
  'High Energy Physics - Experiment': 'hep-ex',
  'High Energy Physics - Phenomenology': 'hep-ph',
  'Mathematical Physics': 'math-ph',
};

/**
 * The category code for an oai_dc subject, or null when it is not one Paperboy knows
 * (physics and other archives outside computing are only partly covered).
 * @example categoryFromSubject('Computer Science - Computation and Language') // 'cs.CL'
 */
export function categoryFromSubject(subject: string): string | null {
  const s = subject.replace(/\s+/g, ' ').trim();
  const whole = WHOLE_ARCHIVES[s];
  if (whole !== undefined) return whole;
  const dash = s.indexOf(' - ');
  if (dash < 0) return null;
  const archive = GROUPS[s.slice(0, dash)];
  if (archive === undefined) return null;
  const suffix = NAMES[archive]?.[s.slice(dash + 3)];
  return suffix === undefined ? null : `${archive}.${suffix}`;
}

/**
 * Every category code this taxonomy knows with its subject name, for search suggestions.
 * @example categoryNames().get('cs.CL') // 'Computation and Language'
 */
export function categoryNames(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [archive, names] of Object.entries(NAMES))
    for (const [name, suffix] of Object.entries(names)) out.set(`${archive}.${suffix}`, name);
  for (const [name, code] of Object.entries(WHOLE_ARCHIVES)) out.set(code, name);
  return out;
}
