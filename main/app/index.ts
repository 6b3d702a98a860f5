// Electron glue entry (filled in by the app shell: lifecycle, window, protocol, IPC, menu).
import { app } from 'electron';

void app.whenReady().then(() => {});
