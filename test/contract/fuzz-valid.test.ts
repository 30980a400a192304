/** Contract fuzz, valid half: generated well-formed requests to every documented operation. */
import { describeFuzz } from "./fuzz-driver.ts";

describeFuzz("valid");
