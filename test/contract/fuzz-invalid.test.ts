/** Contract fuzz, hostile half: requests with one thing broken, to every documented operation. */
import { describeFuzz } from "./fuzz-driver.ts";

describeFuzz("invalid");
