import { TOUCAN_CATALOG } from "../helpers/test-data.js";
import { describeCatalogImportTool } from "./catalog-import.js";

// The Toucan crawl: 5,700 tools imported into 27 category domains, 344 skipped.
describeCatalogImportTool(TOUCAN_CATALOG);
