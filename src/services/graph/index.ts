// The related-papers graph's public face.
export {
  createPaperGraphService,
  type GraphNode,
  type PaperGraph,
  type PaperGraphService,
} from './paper-graph.ts';
