// The first script of index.html: starts the first screen's requests while the app bundle is
// still downloading and compiling (see first-screen-boot.ts). Imports nothing else.
import { bootFirstScreen } from '@cityops/ui/api/first-screen-boot';
import { FIRST_SCREEN } from './first-screen.ts';

void bootFirstScreen(FIRST_SCREEN);
