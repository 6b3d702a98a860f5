import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ActiveMembers, MemberInfo } from '../../shared/domain/review';
import { call, DataVersionContext } from './ipc';

/** The committee members on this machine, whose review the form edits, and who is at the keyboard. */
export interface MembersState {
  loaded: boolean;
  /** The members could not be read: the pages are shown without the review form. */
  failed: boolean;
  members: MemberInfo[];
  active: MemberInfo | null;
  keyboard: MemberInfo | null;
  reload: () => Promise<void>;
  setActive: (memberId: number, keyboardMemberId?: number | null) => Promise<void>;
}

export const MembersContext = createContext<MembersState>({
  loaded: false,
  failed: false,
  members: [],
  active: null,
  keyboard: null,
  reload: async () => {},
  setActive: async () => {},
});

export const useMembers = () => useContext(MembersContext);

export function MembersProvider({ children }: { children: ReactNode }) {
  const { version } = useContext(DataVersionContext);
  const [members, setMembers] = useState<MemberInfo[]>([]);
  const [who, setWho] = useState<ActiveMembers>({ active: null, keyboard: null });
  const [loaded, setLoaded] = useState(false);

  const [failed, setFailed] = useState(false);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(async () => {
    setGeneration((g) => g + 1);
    await Promise.resolve();
  }, []);

  useEffect(() => {
    let live = true;
    Promise.all([call('member:list', {}), call('member:getActive', {})]).then(
      ([list, active]) => {
        if (!live) return;
        setMembers(list);
        setWho(active);
        setFailed(false);
        setLoaded(true);
      },
      () => {
        // Without members the review form stays hidden; the rest of the app still works.
        if (!live) return;
        setFailed(true);
        setLoaded(true);
      },
    );
    return () => {
      live = false;
    };
  }, [version, generation]);

  const setActive = useCallback(async (memberId: number, keyboardMemberId?: number | null) => {
    setWho(await call('member:setActive', { memberId, keyboardMemberId: keyboardMemberId ?? null }));
  }, []);

  const value = useMemo(
    () => ({ loaded, failed, members, active: who.active, keyboard: who.keyboard, reload, setActive }),
    [loaded, failed, members, who, reload, setActive],
  );
  return <MembersContext.Provider value={value}>{children}</MembersContext.Provider>;
}
